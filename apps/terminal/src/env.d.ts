// Vite's `?url` imports: the asset is copied into dist/ and its served URL is the default export.
declare module '*?url' {
  const url: string;
  export default url;
}
