// Vite asset URL imports, used by browser tests only.
declare module '*.wasm?url' {
  const url: string;
  export default url;
}
