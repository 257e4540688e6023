/**
 * Adds `value` to the list under `key`, creating it. Appending in place: rebuilding the list
 * (`map.set(key, [...(map.get(key) ?? []), value])`) costs its whole length each time, which is
 * quadratic when a checkout repeats one secret, pattern or caller thousands of times.
 */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
