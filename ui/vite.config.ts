/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";

// Casevault runs under `default-src 'self'; style-src 'self'; script-src 'self'`.
// The production build therefore has to produce only files: the entry script
// as an external module, every style rule in an emitted .css file, and no
// inline <script> or style= attribute in index.html.
export default defineConfig({
  plugins: [svelte({ emitCss: true }), svelteTesting()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
  },
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // One stylesheet file, linked from index.html; never injected at runtime.
    cssCodeSplit: false,
    // Never inline small assets as data: URLs (CSP default-src 'self' forbids them).
    assetsInlineLimit: 0,
    // WebView2 and WebKitGTK support modulepreload; skip Vite's polyfill.
    modulePreload: { polyfill: false },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["./src/test/setup.ts"],
    // Builds the headless command host the component tests drive.
    globalSetup: ["./src/test/hostSetup.ts"],
    restoreMocks: true,
  },
});
