// Ticker decoding with simdjson On-Demand, for the engine's hot path.
//
// decodeTicker(buffer, start, end, out): parses the ticker notification in buffer[start, end) and
// writes best bid/ask price and amount, mark, index, mark timestamp and collars into `out` (a
// Float64Array of TICK_FIELDS staging one ring slot; see layout.h). A field the message leaves out
// keeps its value; a null becomes NaN. Returns the number of fields written (>= 0) or a negative
// error: -1 bad arguments, -2 too large, -3 not JSON / no notification object, -4 a field is
// neither a number nor null. No JS object is created. The bytes are BORROWED for the call only:
// they are copied into a reusable padded buffer, because simdjson reads SIMDJSON_PADDING bytes
// past the end of its input and the JS buffer offers no such guarantee.
#include <napi.h>
#include <cmath>
#include <cstring>
#include <string_view>
#include "layout.h"
#include "simdjson.h"

namespace {

constexpr size_t kMaxMessage = 1 << 20;

simdjson::ondemand::parser& Parser() {
  static simdjson::ondemand::parser parser;
  return parser;
}

simdjson::padded_string& Scratch() {
  static simdjson::padded_string scratch(kMaxMessage);
  return scratch;
}

int FieldOf(std::string_view key) {
  using namespace layout;
  switch (key.size()) {
    case 5: return key == "index" ? F_INDEX : -1;
    case 10:
      if (key == "mark_price") return F_MARK_PRICE;
      if (key == "collar_low") return F_COLLAR_LOW;
      return -1;
    case 11: return key == "collar_high" ? F_COLLAR_HIGH : -1;
    case 14:
      if (key == "best_bid_price") return F_BEST_BID_PRICE;
      if (key == "best_ask_price") return F_BEST_ASK_PRICE;
      if (key == "mark_timestamp") return F_MARK_TIMESTAMP;
      return -1;
    case 15:
      if (key == "best_bid_amount") return F_BEST_BID_AMOUNT;
      if (key == "best_ask_amount") return F_BEST_ASK_AMOUNT;
      return -1;
    default: return -1;
  }
}

Napi::Value DecodeTicker(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !info[0].IsTypedArray() || !info[1].IsNumber() || !info[2].IsNumber() || !info[3].IsTypedArray()) {
    return Napi::Number::New(env, -1);
  }
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  Napi::TypedArray outArr = info[3].As<Napi::TypedArray>();
  if (bytes.TypedArrayType() != napi_uint8_array || outArr.TypedArrayType() != napi_float64_array) return Napi::Number::New(env, -1);
  Napi::Float64Array out = outArr.As<Napi::Float64Array>();
  if (out.ElementLength() < static_cast<size_t>(layout::TICK_FIELDS)) return Napi::Number::New(env, -1);
  const int64_t start = info[1].As<Napi::Number>().Int64Value();
  const int64_t end = info[2].As<Napi::Number>().Int64Value();
  if (start < 0 || end < start || static_cast<size_t>(end) > bytes.ElementLength()) return Napi::Number::New(env, -1);
  const size_t len = static_cast<size_t>(end - start);
  if (len > kMaxMessage) return Napi::Number::New(env, -2);

  simdjson::padded_string& scratch = Scratch();
  std::memcpy(scratch.data(), bytes.Data() + start, len);
  std::memset(scratch.data() + len, 0, simdjson::SIMDJSON_PADDING);
  simdjson::padded_string_view view(scratch.data(), len, len + simdjson::SIMDJSON_PADDING);

  simdjson::ondemand::document doc;
  if (Parser().iterate(view).get(doc) != simdjson::SUCCESS) return Napi::Number::New(env, -3);
  simdjson::ondemand::object note;
  if (doc["notification"].get_object().get(note) != simdjson::SUCCESS) return Napi::Number::New(env, -3);
  double* f = out.Data();
  int written = 0;
  for (auto field : note) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return Napi::Number::New(env, -3);
    const int at = FieldOf(key);
    if (at < 0) continue;  // other fields are skipped by the iterator
    simdjson::ondemand::value v;
    if (field.value().get(v) != simdjson::SUCCESS) return Napi::Number::New(env, -3);
    bool isNull = false;
    if (v.is_null().get(isNull) == simdjson::SUCCESS && isNull) {
      f[at] = std::nan("");
      written++;
      continue;
    }
    double d;
    if (v.get_double().get(d) != simdjson::SUCCESS) return Napi::Number::New(env, -4);
    f[at] = d;
    written++;
  }
  return Napi::Number::New(env, written);
}

Napi::Value Layout(const Napi::CallbackInfo& info) {
  using namespace layout;
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("F_BEST_BID_PRICE", F_BEST_BID_PRICE);
  o.Set("F_BEST_BID_AMOUNT", F_BEST_BID_AMOUNT);
  o.Set("F_BEST_ASK_PRICE", F_BEST_ASK_PRICE);
  o.Set("F_BEST_ASK_AMOUNT", F_BEST_ASK_AMOUNT);
  o.Set("F_MARK_PRICE", F_MARK_PRICE);
  o.Set("F_INDEX", F_INDEX);
  o.Set("F_MARK_TIMESTAMP", F_MARK_TIMESTAMP);
  o.Set("F_COLLAR_LOW", F_COLLAR_LOW);
  o.Set("F_COLLAR_HIGH", F_COLLAR_HIGH);
  o.Set("TICK_FIELDS", TICK_FIELDS);
  return o;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("decodeTicker", Napi::Function::New(env, DecodeTicker));
  exports.Set("layout", Napi::Function::New(env, Layout));
  exports.Set("simdjsonVersion", Napi::String::New(env, SIMDJSON_VERSION));
  return exports;
}

}  // namespace

NODE_API_MODULE(thalex_codec, Init)
