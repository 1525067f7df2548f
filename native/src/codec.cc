// Ticker decoding with simdjson On-Demand, for the engine's hot path.
//
// bindStage(stage): binds a Float64Array of >= TICK_FIELDS staging one ring slot (see layout.h)
// and returns decode(buffer, start, end), which parses the ticker notification in
// buffer[start, end) and writes best bid/ask price and amount, mark, index, mark timestamp and
// collars, and the option fields iv, delta and forward, into that stage. decodeTicker(buffer, start, end, out) does the same into `out`, unbound.
// A field the message leaves out keeps its value; a null becomes NaN. Both return the number of
// fields written (>= 0) or a negative error: -1 bad arguments, -2 too large, -3 not JSON / no
// notification object, -4 a field is neither a number nor null. No JS object is created. The bytes
// are BORROWED for the call only: they are copied into a reusable padded buffer, because simdjson
// reads SIMDJSON_PADDING bytes past the end of its input and the JS buffer offers no such guarantee.
//
// Raw N-API, not node-addon-api: the wrappers cost several napi_get_typedarray_info calls per call
// (type, length and data are each fetched again), about a third of the whole decode. The bound
// form needs five N-API calls per message: arguments, the byte buffer, start, end, the result.
//
// bindReply(out) does the same for RPC replies: decodeReply(buffer, start, end) reads the id and,
// for a mass_quote result, n_success, n_fail and the length of errors into `out` (see DecodeReply)
// and returns the reply's kind (1 mass-quote result, 2 other result, 3 error) or a negative error
// as above. The rarer kinds are left to JSON.parse by the caller.
#include <node_api.h>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include "layout.h"
#include "simdjson.h"

namespace {

constexpr size_t kMaxMessage = 1 << 20;
constexpr int kBadArguments = -1;
constexpr int kTooLarge = -2;
constexpr int kNotJson = -3;
constexpr int kNotNumber = -4;

/** RFC 8259 §6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and nothing else. */
bool IsJsonNumber(std::string_view t) {
  size_t i = 0;
  const size_t n = t.size();
  auto digit = [&](size_t k) { return k < n && t[k] >= '0' && t[k] <= '9'; };
  if (i < n && t[i] == '-') i++;
  if (!digit(i)) return false;
  if (t[i] == '0') i++;
  else while (digit(i)) i++;
  if (i < n && t[i] == '.') {
    i++;
    if (!digit(i)) return false;
    while (digit(i)) i++;
  }
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    i++;
    if (i < n && (t[i] == '+' || t[i] == '-')) i++;
    if (!digit(i)) return false;
    while (digit(i)) i++;
  }
  return i == n;
}

/**
 * A JSON number into *d, as JSON.parse reads it: simdjson's parser first; where it refuses a valid
 * number (an exponent of more digits than it reads, e.g. 0.0e00005090258314808875, found by the
 * reply fuzz), strtod on the token. Overflow to infinity is refused, as the JS decoders do.
 */
bool DoubleOf(simdjson::ondemand::value& v, double* d) {
  if (v.get_double().get(*d) == simdjson::SUCCESS) return true;
  std::string_view raw = v.raw_json_token();
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t')) raw.remove_suffix(1);
  if (!IsJsonNumber(raw)) return false;
  const std::string token(raw);
  const double x = std::strtod(token.c_str(), nullptr);
  if (!std::isfinite(x)) return false;
  *d = x;
  return true;
}

simdjson::ondemand::parser& Parser() {
  static simdjson::ondemand::parser parser;
  return parser;
}

simdjson::padded_string& Scratch() {
  static simdjson::padded_string scratch(kMaxMessage);
  return scratch;
}

uint64_t Load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

uint32_t Load4(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

/** `key` (k bytes) is the n-byte literal `lit`, 10 <= n <= 16: its first and last eight bytes. */
template <size_t N>
bool Is(const char* key, size_t k, const char (&lit)[N]) {
  static_assert(N - 1 >= 10 && N - 1 <= 16, "two overlapping 8-byte words cover the literal");
  return k == N - 1 && Load8(key) == Load8(lit) && Load8(key + N - 9) == Load8(lit + N - 9);
}

/**
 * The ring field of a key, or -1: word compares (the loads from literals fold to constants) instead
 * of memcmp calls; this runs for every key of the notification. Reads only the key's own bytes.
 */
int FieldOf(const char* key, size_t k) {
  using namespace layout;
  switch (k) {
    // Options (spec Ticker: iv and forward "Only included for options"; delta in every ticker).
    case 2: return key[0] == 'i' && key[1] == 'v' ? F_IV : -1;
    case 5:
      if (Load4(key) == Load4("inde") && key[4] == 'x') return F_INDEX;
      if (Load4(key) == Load4("delt") && key[4] == 'a') return F_DELTA;
      return -1;
    case 7: return Load4(key) == Load4("forw") && Load4(key + 3) == Load4("ward") ? F_FORWARD : -1;
    case 10:
      if (Is(key, k, "mark_price")) return F_MARK_PRICE;
      if (Is(key, k, "collar_low")) return F_COLLAR_LOW;
      return -1;
    case 11: return Is(key, k, "collar_high") ? F_COLLAR_HIGH : -1;
    case 14:
      if (Is(key, k, "best_bid_price")) return F_BEST_BID_PRICE;
      if (Is(key, k, "best_ask_price")) return F_BEST_ASK_PRICE;
      if (Is(key, k, "mark_timestamp")) return F_MARK_TIMESTAMP;
      return -1;
    case 15:
      if (Is(key, k, "best_bid_amount")) return F_BEST_BID_AMOUNT;
      if (Is(key, k, "best_ask_amount")) return F_BEST_ASK_AMOUNT;
      return -1;
    default: return -1;
  }
}

/** bytes[0, len) copied into the padded scratch (len <= kMaxMessage): what the parser may read. */
simdjson::padded_string_view Padded(const uint8_t* bytes, size_t len) {
  simdjson::padded_string& scratch = Scratch();
  if (len > 0) std::memcpy(scratch.data(), bytes, len);  // an empty view may have no backing store
  std::memset(scratch.data() + len, 0, simdjson::SIMDJSON_PADDING);
  return simdjson::padded_string_view(scratch.data(), len, len + simdjson::SIMDJSON_PADDING);
}

/** Parses bytes[0, len) into f (TICK_FIELDS doubles); fields written or a negative error. */
int Decode(const uint8_t* bytes, size_t len, double* f) {
  if (len > kMaxMessage) return kTooLarge;
  simdjson::padded_string_view view = Padded(bytes, len);

  simdjson::ondemand::document doc;
  if (Parser().iterate(view).get(doc) != simdjson::SUCCESS) return kNotJson;
  simdjson::ondemand::object note;
  if (doc["notification"].get_object().get(note) != simdjson::SUCCESS) return kNotJson;
  int written = 0;
  for (auto field : note) {
    // The raw key, unless it has an escape (then it is unescaped as JSON.parse would): most keys
    // are not ours, and copying each into simdjson's string buffer costs more than comparing.
    std::string_view key;
    if (field.escaped_key().get(key) != simdjson::SUCCESS) return kNotJson;
    if (std::memchr(key.data(), '\\', key.size()) != nullptr && field.unescaped_key().get(key) != simdjson::SUCCESS) return kNotJson;
    const int at = FieldOf(key.data(), key.size());
    if (at < 0) continue;  // other fields are skipped by the iterator
    simdjson::ondemand::value v;
    if (field.value().get(v) != simdjson::SUCCESS) return kNotJson;
    // A number first (the common case); a failed get_double consumes nothing, so null is tried next.
    double d;
    if (DoubleOf(v, &d)) {
      f[at] = d;
    } else {
      bool isNull = false;
      if (v.is_null().get(isNull) != simdjson::SUCCESS || !isNull) return kNotNumber;
      f[at] = std::nan("");
    }
    written++;
  }
  return written;
}

// Reply slots and kinds: mirror src/codec/reply-decoder.ts (a test checks they agree).
constexpr int R_ID = 0;
constexpr int R_N_SUCCESS = 1;
constexpr int R_N_FAIL = 2;
constexpr int R_ERRORS = 3;
constexpr int REPLY_FIELDS = 4;
constexpr int kMassQuote = 1;
constexpr int kOtherResult = 2;
constexpr int kErrorReply = 3;

/** A key, unescaped only when it has an escape (as in Decode). False: not a string key. */
template <typename Field>
bool KeyOf(Field& field, std::string_view* key) {
  if (field.escaped_key().get(*key) != simdjson::SUCCESS) return false;
  // allow_replacement: a lone surrogate escape is U+FFFD, as in JSON.parse.
  return std::memchr(key->data(), '\\', key->size()) == nullptr || field.unescaped_key(true).get(*key) == simdjson::SUCCESS;
}

bool Digit(char c) { return c >= '0' && c <= '9'; }

/** The raw token is one JSON number (RFC 8259 grammar), then only whitespace. Any magnitude, as JSON.parse. */
bool IsNumber(std::string_view t) {
  size_t i = 0;
  const size_t n = t.size();
  if (i < n && t[i] == '-') i++;
  if (i >= n || !Digit(t[i])) return false;
  if (t[i] == '0') i++;
  else while (i < n && Digit(t[i])) i++;
  if (i < n && t[i] == '.') {
    if (++i >= n || !Digit(t[i])) return false;
    while (i < n && Digit(t[i])) i++;
  }
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    if (++i < n && (t[i] == '+' || t[i] == '-')) i++;
    if (i >= n || !Digit(t[i])) return false;
    while (i < n && Digit(t[i])) i++;
  }
  for (; i < n; i++) if (t[i] != ' ' && t[i] != '\t' && t[i] != '\n' && t[i] != '\r') return false;
  return true;
}

/**
 * Reads a value we do not need, only to validate it: On-Demand skips what is left unread without
 * checking escapes, atoms, numbers or the commas inside, where JSON.parse would refuse them (stage 1
 * has already checked UTF-8, control bytes and quotes). Cold: only replies with such values get here.
 */
bool Valid(simdjson::ondemand::value v, int depth) {
  simdjson::ondemand::json_type type;
  if (depth > 1024 || v.type().get(type) != simdjson::SUCCESS) return false;
  switch (type) {
    case simdjson::ondemand::json_type::object: {
      simdjson::ondemand::object o;
      if (v.get_object().get(o) != simdjson::SUCCESS) return false;
      for (auto field : o) {
        std::string_view key;
        simdjson::ondemand::value child;
        if (field.unescaped_key(true).get(key) != simdjson::SUCCESS || field.value().get(child) != simdjson::SUCCESS || !Valid(child, depth + 1)) return false;
      }
      return true;
    }
    case simdjson::ondemand::json_type::array: {
      simdjson::ondemand::array a;
      if (v.get_array().get(a) != simdjson::SUCCESS) return false;
      for (auto item : a) {
        simdjson::ondemand::value child;
        if (item.get(child) != simdjson::SUCCESS || !Valid(child, depth + 1)) return false;
      }
      return true;
    }
    case simdjson::ondemand::json_type::string: {
      std::string_view str;
      return v.get_string(true).get(str) == simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::number: return IsNumber(v.raw_json_token());
    case simdjson::ondemand::json_type::boolean: {
      bool b;
      return v.get_bool().get(b) == simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::null: {
      bool isNull = false;
      return v.is_null().get(isNull) == simdjson::SUCCESS && isNull;
    }
    default: return false;
  }
}

/** Validates the field's value (see Valid); false: not JSON. */
template <typename Field>
bool SkipValid(Field& field) {
  simdjson::ondemand::value v;
  return field.value().get(v) == simdjson::SUCCESS && Valid(v, 1);
}

/** A number (overflow refused, as in Decode) into *d; kNotNumber for any other value. */
template <typename Field>
int NumberOf(Field& field, double* d) {
  simdjson::ondemand::value v;
  if (field.value().get(v) != simdjson::SUCCESS) return kNotJson;
  return DoubleOf(v, d) ? 0 : kNotNumber;
}

/**
 * Parses the reply in bytes[0, len): {"id":N,"result":…} or {"id":N,"error":…}, any key order.
 * Returns kMassQuote (a result object with n_success and/or n_fail), kOtherResult, kErrorReply (a
 * non-null error) or a negative error, and only on success writes f[R_ID], f[R_N_SUCCESS],
 * f[R_N_FAIL] (NaN when absent) and f[R_ERRORS], the length of result.errors (-1 when absent).
 * The last of duplicate keys wins, as in JSON.parse. Values we do not need (other keys, errors
 * items, an error object) are read through Valid, so that malformed input is refused as JSON.parse
 * refuses it; a clean compact mass-quote reply has none.
 */
int DecodeReply(const uint8_t* bytes, size_t len, double* f) {
  if (len > kMaxMessage) return kTooLarge;
  simdjson::padded_string_view view = Padded(bytes, len);

  simdjson::ondemand::document doc;
  if (Parser().iterate(view).get(doc) != simdjson::SUCCESS) return kNotJson;
  simdjson::ondemand::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS) return kNotJson;
  const double nan = std::nan("");
  double id = nan;
  double nSuccess = nan;
  double nFail = nan;
  double errors = -1;
  bool hasId = false;
  bool hasResult = false;
  bool hasError = false;
  bool mass = false;
  for (auto field : top) {
    std::string_view key;
    if (!KeyOf(field, &key)) return kNotJson;
    if (key == "id") {
      const int e = NumberOf(field, &id);
      if (e < 0) return e;
      hasId = true;
    } else if (key == "error") {
      simdjson::ondemand::value v;
      simdjson::ondemand::json_type type;
      if (field.value().get(v) != simdjson::SUCCESS || v.type().get(type) != simdjson::SUCCESS || !Valid(v, 1)) return kNotJson;
      hasError = type != simdjson::ondemand::json_type::null;  // an object or anything else: JSON.parse reads the rest
    } else if (key == "result") {
      hasResult = true;
      mass = false;
      nSuccess = nFail = nan;
      errors = -1;
      simdjson::ondemand::value v;
      simdjson::ondemand::json_type type;
      if (field.value().get(v) != simdjson::SUCCESS || v.type().get(type) != simdjson::SUCCESS) return kNotJson;
      if (type != simdjson::ondemand::json_type::object) {  // null, a list…: only validated
        if (!Valid(v, 1)) return kNotJson;
        continue;
      }
      simdjson::ondemand::object result;
      if (v.get_object().get(result) != simdjson::SUCCESS) return kNotJson;
      for (auto rfield : result) {
        std::string_view rkey;
        if (!KeyOf(rfield, &rkey)) return kNotJson;
        if (rkey == "n_success" || rkey == "n_fail") {
          const int e = NumberOf(rfield, rkey == "n_fail" ? &nFail : &nSuccess);
          if (e < 0) return e;
          mass = true;
        } else if (rkey == "errors") {
          simdjson::ondemand::value ev;
          simdjson::ondemand::array list;
          if (rfield.value().get(ev) != simdjson::SUCCESS) return kNotJson;
          if (ev.get_array().get(list) != simdjson::SUCCESS) return kNotNumber;
          double n = 0;
          for (auto item : list) {  // each item is only validated
            simdjson::ondemand::value iv;
            if (item.get(iv) != simdjson::SUCCESS || !Valid(iv, 3)) return kNotJson;
            n++;
          }
          errors = n;
        } else if (!SkipValid(rfield)) {
          return kNotJson;
        }
      }
    } else if (!SkipValid(field)) {
      return kNotJson;
    }
  }
  if (!doc.at_end()) return kNotJson;  // trailing bytes after the object
  if (!hasId || !(hasResult || hasError)) return kNotJson;
  f[R_ID] = id;
  if (hasError) {
    f[R_N_SUCCESS] = f[R_N_FAIL] = nan;
    f[R_ERRORS] = -1;
    return kErrorReply;
  }
  if (!mass) {
    f[R_N_SUCCESS] = f[R_N_FAIL] = nan;
    f[R_ERRORS] = -1;
    return kOtherResult;
  }
  f[R_N_SUCCESS] = nSuccess;
  f[R_N_FAIL] = nFail;
  f[R_ERRORS] = errors;
  return kMassQuote;
}

napi_value Int(napi_env env, int v) {
  napi_value r = nullptr;
  napi_create_int32(env, v, &r);
  return r;
}

/**
 * The message bytes of (bytes, start, end): a Uint8Array (Buffer) and integer offsets inside it.
 * Each check is the status of the one call that reads the value (no separate type queries).
 */
bool MessageArgs(napi_env env, const napi_value* argv, const uint8_t** msg, size_t* len) {
  napi_typedarray_type type;
  size_t length;
  void* data;
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, nullptr, nullptr) != napi_ok || type != napi_uint8_array) return false;
  int64_t start;
  int64_t end;
  if (napi_get_value_int64(env, argv[1], &start) != napi_ok || napi_get_value_int64(env, argv[2], &end) != napi_ok) return false;
  if (start < 0 || end < start || static_cast<uint64_t>(end) > length) return false;
  *msg = static_cast<const uint8_t*>(data) + start;
  *len = static_cast<size_t>(end - start);
  return true;
}

/** decodeTicker(bytes, start, end, out): the unbound form (one more typed-array query per call). */
napi_value DecodeTicker(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < 4) return Int(env, kBadArguments);
  napi_typedarray_type type;
  size_t length;
  void* out;
  if (napi_get_typedarray_info(env, argv[3], &type, &length, &out, nullptr, nullptr) != napi_ok || type != napi_float64_array ||
      length < static_cast<size_t>(layout::TICK_FIELDS)) {
    return Int(env, kBadArguments);
  }
  const uint8_t* msg;
  size_t len;
  if (!MessageArgs(env, argv, &msg, &len)) return Int(env, kBadArguments);
  return Int(env, Decode(msg, len, static_cast<double*>(out)));
}

/**
 * A bound stage: the function's data pointer, so a call gets it from napi_get_cb_info for free.
 * `keep` holds the Float64Array (and so its backing store) for as long as the function lives.
 * The stage must not be transferred or detached meanwhile (it is private to the tick decoder).
 */
struct Stage {
  double* f;
  napi_ref keep;
};

/** decode(bytes, start, end) of a bound function: `F` writes into the bound stage. */
template <int (*F)(const uint8_t*, size_t, double*)>
napi_value CallBound(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  void* data;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, &data) != napi_ok || argc < 3) return Int(env, kBadArguments);
  const uint8_t* msg;
  size_t len;
  if (!MessageArgs(env, argv, &msg, &len)) return Int(env, kBadArguments);
  return Int(env, F(msg, len, static_cast<Stage*>(data)->f));
}

void FreeStage(napi_env env, void* data, void*) {
  Stage* s = static_cast<Stage*>(data);
  napi_delete_reference(env, s->keep);
  delete s;
}

/**
 * bind<name>(out: Float64Array of at least `minFields`, called `minName` in the message): a function `fnName(bytes, start, end)`
 * running `call` with `out` bound. Throws (`what` names the binder) on a bad `out`.
 */
napi_value Bind(napi_env env, napi_callback_info info, size_t minFields, const char* minName, const char* what, const char* fnName, napi_callback call) {
  size_t argc = 1;
  napi_value argv[1];
  napi_value fn = nullptr;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return nullptr;
  napi_typedarray_type type;
  size_t length;
  void* out;
  if (argc < 1 || napi_get_typedarray_info(env, argv[0], &type, &length, &out, nullptr, nullptr) != napi_ok || type != napi_float64_array || length < minFields) {
    std::string msg = std::string(what) + ": expected a Float64Array of at least " + minName + " elements";
    napi_throw_type_error(env, nullptr, msg.c_str());
    return nullptr;
  }
  Stage* s = new Stage{static_cast<double*>(out), nullptr};
  if (napi_create_reference(env, argv[0], 1, &s->keep) != napi_ok || napi_create_function(env, fnName, NAPI_AUTO_LENGTH, call, s, &fn) != napi_ok ||
      napi_add_finalizer(env, fn, s, FreeStage, nullptr, nullptr) != napi_ok) {
    if (s->keep != nullptr) napi_delete_reference(env, s->keep);
    delete s;
    std::string msg = std::string(what) + ": could not create the " + fnName + " function";
    napi_throw_error(env, nullptr, msg.c_str());
    return nullptr;
  }
  return fn;
}

/** bindStage(stage): decode(bytes, start, end) writing ticker fields into `stage`. */
napi_value BindStage(napi_env env, napi_callback_info info) {
  return Bind(env, info, static_cast<size_t>(layout::TICK_FIELDS), "TICK_FIELDS", "bindStage", "decode", CallBound<Decode>);
}

/** bindReply(out): decodeReply(bytes, start, end) writing the reply's fields into `out`. */
napi_value BindReply(napi_env env, napi_callback_info info) {
  return Bind(env, info, static_cast<size_t>(REPLY_FIELDS), "REPLY_FIELDS", "bindReply", "decodeReply", CallBound<DecodeReply>);
}

/**
 * isUtf8Range(bytes, start, end): simdjson's validator over the range, without a view object
 * (`buffer.isUtf8` needs a TypedArray of exactly the range: one allocation per message).
 * Bad arguments answer false: the caller then fails the connection, which is safe.
 */
napi_value IsUtf8Range(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_value r = nullptr;
  const uint8_t* msg;
  size_t len;
  bool ok = napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) == napi_ok && argc >= 3 && MessageArgs(env, argv, &msg, &len) &&
            simdjson::validate_utf8(reinterpret_cast<const char*>(msg), len);
  napi_get_boolean(env, ok, &r);
  return r;
}

napi_value ReplyLayout(napi_env env, napi_callback_info) {
  napi_value o;
  napi_create_object(env, &o);
  const std::pair<const char*, int> fields[] = {
      {"R_ID", R_ID},           {"R_N_SUCCESS", R_N_SUCCESS},   {"R_N_FAIL", R_N_FAIL},     {"R_ERRORS", R_ERRORS},
      {"REPLY_FIELDS", REPLY_FIELDS}, {"REPLY_MASS_QUOTE", kMassQuote}, {"REPLY_RESULT", kOtherResult}, {"REPLY_ERROR", kErrorReply},
  };
  for (const auto& [name, v] : fields) napi_set_named_property(env, o, name, Int(env, v));
  return o;
}

napi_value Layout(napi_env env, napi_callback_info) {
  using namespace layout;
  napi_value o;
  napi_create_object(env, &o);
  const std::pair<const char*, int> fields[] = {
      {"F_BEST_BID_PRICE", F_BEST_BID_PRICE}, {"F_BEST_BID_AMOUNT", F_BEST_BID_AMOUNT}, {"F_BEST_ASK_PRICE", F_BEST_ASK_PRICE},
      {"F_BEST_ASK_AMOUNT", F_BEST_ASK_AMOUNT}, {"F_MARK_PRICE", F_MARK_PRICE},           {"F_INDEX", F_INDEX},
      {"F_MARK_TIMESTAMP", F_MARK_TIMESTAMP},   {"F_COLLAR_LOW", F_COLLAR_LOW},           {"F_COLLAR_HIGH", F_COLLAR_HIGH},
      {"F_IV", F_IV},                           {"F_DELTA", F_DELTA},                     {"F_FORWARD", F_FORWARD},
      {"TICK_FIELDS", TICK_FIELDS},
  };
  for (const auto& [name, v] : fields) napi_set_named_property(env, o, name, Int(env, v));
  return o;
}

}  // namespace

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "decodeTicker", NAPI_AUTO_LENGTH, DecodeTicker, nullptr, &fn);
  napi_set_named_property(env, exports, "decodeTicker", fn);
  napi_create_function(env, "bindStage", NAPI_AUTO_LENGTH, BindStage, nullptr, &fn);
  napi_set_named_property(env, exports, "bindStage", fn);
  napi_create_function(env, "bindReply", NAPI_AUTO_LENGTH, BindReply, nullptr, &fn);
  napi_set_named_property(env, exports, "bindReply", fn);
  napi_create_function(env, "replyLayout", NAPI_AUTO_LENGTH, ReplyLayout, nullptr, &fn);
  napi_set_named_property(env, exports, "replyLayout", fn);
  napi_create_function(env, "isUtf8Range", NAPI_AUTO_LENGTH, IsUtf8Range, nullptr, &fn);
  napi_set_named_property(env, exports, "isUtf8Range", fn);
  napi_create_function(env, "layout", NAPI_AUTO_LENGTH, Layout, nullptr, &fn);
  napi_set_named_property(env, exports, "layout", fn);
  napi_value version;
  napi_create_string_utf8(env, SIMDJSON_VERSION, NAPI_AUTO_LENGTH, &version);
  napi_set_named_property(env, exports, "simdjsonVersion", version);
  return exports;
}
