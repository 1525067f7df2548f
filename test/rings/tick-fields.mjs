// Tick s of the stress tests: every field a distinct function of s, so a torn read shows up.
export function tickFields(s) {
  return [s, s + 0.25, s * 2 + 0.5, -s, s / 3, s * 1.5, s + 1e9, s - 7, s + 7, s * 1000, s / 7, -s / 9, s * 3.5];
}
