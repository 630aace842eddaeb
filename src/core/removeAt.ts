// Removing one element from a list in place, keeping the others' order, without the array of removed
// elements that `splice(i, 1)` allocates on every call (the order and position lists do it for every order).

/** Removes `list[i]` (no-op when i is out of range), shifting the later elements down by one. */
export function removeAt<T>(list: T[], i: number): void {
  if (i < 0 || i >= list.length) return;
  for (let k = i + 1; k < list.length; k++) list[k - 1] = list[k] as T;
  list.pop();
}
