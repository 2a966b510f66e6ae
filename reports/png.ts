import { createRequire } from 'node:module';
import type { ChartSpec } from './charts.ts';

const require = createRequire(import.meta.url);

/**
 * Renders chart specs to PNG with Chart.js on @napi-rs/canvas (prebuilt binaries from npm;
 * chart.js-node-canvas needs node-canvas, whose build needs system cairo headers). System fonts are
 * not loaded and Inter is registered from an npm package, so the same summary gives the same bytes
 * on every machine.
 */
export async function renderPngs(
  specs: readonly ChartSpec[],
  width = 1000,
  height = 560,
): Promise<Map<string, Buffer>> {
  process.env.DISABLE_SYSTEM_FONTS_LOAD = '1';
  const { createCanvas, GlobalFonts } = await import('@napi-rs/canvas');
  const { Chart, registerables } = await import('chart.js');
  Chart.register(...registerables);
  if (!GlobalFonts.has('Inter')) {
    GlobalFonts.registerFromPath(
      require.resolve('@fontsource/inter/files/inter-latin-400-normal.woff2'),
      'Inter',
    );
    GlobalFonts.registerFromPath(
      require.resolve('@fontsource/inter/files/inter-latin-700-normal.woff2'),
      'Inter',
    );
  }
  Chart.defaults.font.family = 'Inter';
  Chart.defaults.color = '#222222';
  const out = new Map<string, Buffer>();
  for (const spec of specs) {
    const canvas = createCanvas(width, height);
    const background = {
      id: 'white-background',
      beforeDraw: (chart: { ctx: CanvasRenderingContext2D; width: number; height: number }) => {
        chart.ctx.save();
        chart.ctx.fillStyle = '#ffffff';
        chart.ctx.fillRect(0, 0, chart.width, chart.height);
        chart.ctx.restore();
      },
    };
    // Chart.js draws on any 2D context; @napi-rs/canvas's is structurally compatible. It also writes
    // its resolved options into the config it is given: a copy keeps the spec as built, for the HTML.
    const config = {
      ...structuredClone(spec.config),
      plugins: [background],
    } as unknown as ConstructorParameters<typeof Chart>[1];
    const chart = new Chart(canvas.getContext('2d') as unknown as CanvasRenderingContext2D, config);
    out.set(spec.file, await canvas.encode('png'));
    chart.destroy();
  }
  return out;
}
