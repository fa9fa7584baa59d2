/**
 * `npm run cards:screenshots`: renders the fullest sample of every card with the Adaptive Cards
 * JS renderer in headless Chromium, styled like the Teams light theme, to docs/cards/<name>.png.
 * Uses the system Chromium (`apt-get install chromium`); never downloads a browser.
 * `-- --all <dir>` renders every sample instead, as <dir>/<name>-<index>.png, for reviewing them.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { cardNames } from '../cards/card-names.js';
import { createCardRenderer } from '../cards/render.js';
import { cardSamples } from '../cards/samples.js';
import { teamsLightHostConfig } from '../cards/teams-host-config.js';
import type { AdaptiveCardJson, CardData, CardName } from '../cards/types.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT_DIR = fileURLToPath(new URL('../../docs/cards/', import.meta.url));
const FONT = "'Segoe UI', 'Noto Sans', 'Liberation Sans', sans-serif";
/** Teams' chat column: cards with `msteams.width: Full` take it all, others about 500 px. */
const FULL_WIDTH = 760;
const DEFAULT_WIDTH = 500;

const PAGE_CSS = `
body { margin: 0; background: #F5F5F5; font-family: ${FONT}; }
#shot { display: inline-block; padding: 16px; background: #F5F5F5; }
#bubble { background: #FFFFFF; border-radius: 6px; overflow: hidden;
  box-shadow: 0 1px 2px rgba(0,0,0,.14), 0 0 2px rgba(0,0,0,.12); }
.ac-pushButton { font: 600 14px/20px ${FONT}; min-height: 32px; min-width: 72px; padding: 5px 12px;
  border: 1px solid #D1D1D1; border-radius: 4px; background: #FFFFFF; color: #242424; }
.ac-pushButton.style-positive { background: #5B5FC7; border-color: #5B5FC7; color: #FFFFFF; }
.ac-pushButton.style-destructive { color: #C4314B; }
.ac-input { font: 400 14px/20px ${FONT}; color: #242424; }
.ac-textInput, select.ac-input { box-sizing: border-box; min-height: 32px; padding: 5px 10px; background: #FFFFFF;
  border: 1px solid #D1D1D1; border-bottom-color: #616161; border-radius: 4px; }
.ac-textInput.ac-multiline { height: 72px; }
.ac-textInput::placeholder { color: #707070; }
.ac-toggleInput input, input[type=checkbox] { accent-color: #5B5FC7; width: 16px; height: 16px; }
a { color: #5B5FC7; }
`;

// Runs in the page: a small Markdown reader with Teams' subset (escapes, bold, italic, links).
const BROWSER_SCRIPT = `
(() => {
  const html = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const markdown = (source) => {
    const kept = [];
    let s = source.replace(/\\\\([!-\\/:-@\\[-\`{-~])/g, (_, c) => { kept.push(c); return '\\u0000' + (kept.length - 1) + '\\u0000'; });
    s = html(s)
      .replace(/\\[([^\\]]+)\\]\\(([^)\\s]+)\\)/g, '<a href="$2">$1</a>')
      .replace(/\\*\\*([^*]+)\\*\\*/g, '<strong>$1</strong>')
      .replace(/(^|\\W)_([^_]+)_(?!\\w)/g, '$1<em>$2</em>')
      .replace(/\\n\\n/g, '<br/>');
    return s.replace(/\\u0000(\\d+)\\u0000/g, (_, i) => html(kept[Number(i)]));
  };
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = markdown(text);
    result.didProcess = true;
  };
  window.renderCard = (json, hostConfig, width) => {
    const card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
    card.parse(json);
    const bubble = document.getElementById('bubble');
    bubble.style.width = width + 'px';
    bubble.replaceChildren(card.render());
  };
})();
`;

type PageGlobals = { renderCard(card: unknown, hostConfig: unknown, width: number): void };

interface Shot {
  readonly file: string;
  readonly card: AdaptiveCardJson;
}

/** The fullest (first) sample of each card, or with `allDir` every sample. */
const shotsOf = <N extends CardName>(name: N, render: (data: CardData[N]) => AdaptiveCardJson, allDir?: string): Shot[] => {
  const samples = cardSamples[name];
  if (samples[0] === undefined) throw new Error(`src/cards/samples.ts has no sample for "${name}"`);
  if (allDir === undefined) return [{ file: join(OUT_DIR, `${name}.png`), card: render(samples[0]) }];
  return samples.map((data, index) => ({ file: join(allDir, `${name}-${index}.png`), card: render(data) }));
};

const widthOf = (card: AdaptiveCardJson): number => {
  const msteams = card['msteams'];
  const full = typeof msteams === 'object' && msteams !== null && 'width' in msteams && msteams.width === 'Full';
  return full ? FULL_WIDTH : DEFAULT_WIDTH;
};

const main = async (): Promise<void> => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: run "apt-get update && apt-get install -y chromium"`);
  }
  const allIndex = process.argv.indexOf('--all');
  const allDir = allIndex === -1 ? undefined : (process.argv[allIndex + 1] ?? 'card-samples');
  mkdirSync(allDir ?? OUT_DIR, { recursive: true });
  const renderer = createCardRenderer();
  const bundle = createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.js');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: FULL_WIDTH + 64, height: 600 }, deviceScaleFactor: 1 });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.setContent(`<!doctype html><html><head><style>${PAGE_CSS}</style></head><body><div id="shot"><div id="bubble"></div></div></body></html>`);
    await page.addScriptTag({ path: bundle });
    await page.addScriptTag({ content: BROWSER_SCRIPT });
    const shots = cardNames.flatMap((name) => shotsOf(name, (data) => renderer.render(name, data), allDir));
    for (const { file, card } of shots) {
      await page.evaluate(
        ({ json, hostConfig, width }) => (globalThis as unknown as PageGlobals).renderCard(json, hostConfig, width),
        { json: card, hostConfig: teamsLightHostConfig, width: widthOf(card) },
      );
      await page.locator('#shot').screenshot({ path: file });
      console.log(`wrote ${file}`);
    }
    if (pageErrors.length > 0) throw new Error(`the page reported errors:\n${pageErrors.join('\n')}`);
  } finally {
    await browser.close();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
