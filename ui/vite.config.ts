/// <reference types="vitest/config" />
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { defineConfig, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'

/** Writes `.br` and `.gz` beside each built script, style sheet and icon, once at build
 * time, so the backend serves them compressed without spending CPU per request. */
function precompress(): Plugin {
  return {
    name: 'gyrfalcon-precompress',
    apply: 'build',
    writeBundle(options) {
      const assets = join(options.dir ?? '', 'assets')
      for (const name of readdirSync(assets)) {
        if (!/\.(js|css|svg)$/.test(name)) continue
        const file = join(assets, name)
        const data = readFileSync(file)
        if (data.length < 1024) continue
        writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }))
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }))
      }
    },
  }
}

// The backend serves the build at `/` (with an SPA fallback to index.html).
// `npm run dev` proxies /api to the backend (GYRFALCON_API_URL, default 127.0.0.1:8000).
const apiTarget = process.env.GYRFALCON_API_URL ?? 'http://127.0.0.1:8000'

export default defineConfig({
  base: '/',
  plugins: [react(), precompress()],
  build: {
    outDir: '../src/gyrfalcon/static',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/, priority: 3 },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|rc-[^\\/]+|@rc-component)[\\/]/, priority: 2 },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
  },
})
