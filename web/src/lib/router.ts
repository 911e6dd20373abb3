// A tiny path router: the admin's pages are a handful of paths. Navigation keeps the query string (shop, host,
// id_token from Shopify's document request). Works with App Bridge's nav menu, which changes the path.
import { useEffect, useState } from 'react';

export function navigate(path: string): void {
  const search = globalThis.location.search;
  globalThis.history.pushState(null, '', `${path}${search}`);
  globalThis.dispatchEvent(new PopStateEvent('popstate'));
}

export function usePath(): string {
  const [path, setPath] = useState(globalThis.location.pathname);
  useEffect(() => {
    const on = () => setPath(globalThis.location.pathname);
    globalThis.addEventListener('popstate', on);
    return () => globalThis.removeEventListener('popstate', on);
  }, []);
  return path;
}
