/**
 * Instrument indices grouped by product, built once per instrument set: what is done to a product
 * (its protection group reset, its quotes pulled) touches its instruments only. A cancel-all's
 * protection notice lists every product, and a scan of every instrument per product made that
 * O(products × instruments): 192 µs against 30 µs for a 100-product notice (measured, in process).
 */
export function indicesByProduct(productOfIndex: ArrayLike<string | undefined>): Map<string, number[]> {
  const by = new Map<string, number[]>();
  for (let i = 0; i < productOfIndex.length; i++) {
    const product = productOfIndex[i];
    if (product === undefined) continue;
    const list = by.get(product);
    if (list === undefined) by.set(product, [i]);
    else list.push(i);
  }
  return by;
}
