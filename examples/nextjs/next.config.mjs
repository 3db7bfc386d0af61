/**
 * Portcullis runs on Node (node:crypto, better-sqlite3): Next should load it from node_modules as
 * it is rather than bundle it; better-sqlite3, pg and express are on Next's own list already.
 * Here in the monorepo the package is a workspace link, which Next bundles whatever this says
 * (vercel/next.js#84388); that works too, since Portcullis loads its database driver with an
 * import bundlers leave to Node.
 */
const nextConfig = {
  serverExternalPackages: ["portcullis"],
};

export default nextConfig;
