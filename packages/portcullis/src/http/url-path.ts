/** The path of a request target, without query or fragment: no URL parse on per-request paths. */
export function pathnameOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}
