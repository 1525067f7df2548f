// Field offsets of one ticker-ring slot: mirrors src/rings/layout.ts (a test checks they agree).
#pragma once
namespace layout {
constexpr int F_BEST_BID_PRICE = 1;
constexpr int F_BEST_BID_AMOUNT = 2;
constexpr int F_BEST_ASK_PRICE = 3;
constexpr int F_BEST_ASK_AMOUNT = 4;
constexpr int F_MARK_PRICE = 5;
constexpr int F_INDEX = 6;
constexpr int F_MARK_TIMESTAMP = 7;
constexpr int F_COLLAR_LOW = 8;
constexpr int F_COLLAR_HIGH = 9;
constexpr int F_IV = 11;
constexpr int F_DELTA = 12;
constexpr int F_FORWARD = 13;
constexpr int TICK_FIELDS = 15;
}  // namespace layout
