/**
 * The value of a header after `setHeader(key, value, allowDuplicateKey)`: with duplicates allowed
 * (Access-Control-Expose-Headers), the value joins the comma-separated list unless it is already
 * in it; otherwise it replaces what was there.
 */
export function nextHeaderValue(existing: string | undefined, value: string, allowDuplicateKey: boolean): string {
  if (!allowDuplicateKey || existing === undefined || existing === "") return value;
  return existing.split(",").some((part) => part.trim() === value) ? existing : `${existing}, ${value}`;
}
