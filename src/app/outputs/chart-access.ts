/**
 * What makes a chart usable without seeing or pointing at it: its accessible
 * name, and where the arrow keys move the focus among its marks.
 *
 * The name comes from what the figure itself says: Plot's
 * `ariaLabel`, else its title, else its axes ("Chart: miles per gallon vs
 * weight (lbs)"), with the kinds of marks, their number, the colour key and
 * the caption. Read from the sanitized figure on the page, so it works for
 * any Plot output without the runtime describing it.
 */

/** Groups Plot labels with `aria-label` that are parts of any chart (axes, grid, frame, baselines, the pointer tip), not what it shows. */
const CHART_FURNITURE = /axis|grid|frame|tick|^rule$|^tip$/;

/** Colour-key entries named in full; more are counted. */
const MAX_KEY_ENTRIES = 8;

function text(element: Element | null | undefined): string | undefined {
  // Plot puts arrows in axis labels ("↑ miles per gallon", "weight (lbs) →").
  const value = element?.textContent?.replace(/[↑↓←→]/g, '').replace(/\s+/g, ' ').trim();
  return value ? value : undefined;
}

/** The chart's main svg: the figure's last top-level svg that is no colour ramp (legends come first). */
function chartSvg(root: Element): Element | undefined {
  const svgs = [...root.querySelectorAll('svg')].filter(
    (svg) => (svg.parentElement === root || svg.parentElement?.tagName.toLowerCase() === 'figure') && !/-ramp\b/.test(svg.getAttribute('class') ?? ''),
  );
  return svgs.at(-1);
}

/** Describes the chart rendered inside `root`; `marks` is how many marks the keyboard can reach. */
export function chartDescription(root: Element, marks = 0): string {
  const svg = chartSvg(root);
  const own = svg?.getAttribute('aria-label')?.trim();
  const figure = root.querySelector('figure');
  const title = text(figure?.querySelector('h2'));
  const caption = text(figure?.querySelector('figcaption'));
  const x = text(svg?.querySelector('[aria-label="x-axis label"]'));
  const y = text(svg?.querySelector('[aria-label="y-axis label"]'));
  const axes = y && x ? `${y} vs ${x}` : (y ?? x);
  let description = own ?? `Chart${title ?? axes ? `: ${title ?? axes}` : ''}`;

  const kinds = [...new Set(
    [...(svg?.children ?? [])].map((child) => child.getAttribute('aria-label') ?? '').filter((kind) => kind && !CHART_FURNITURE.test(kind)),
  )];
  const details = [kinds.join(', '), marks > 0 ? `${marks} marks` : ''].filter(Boolean);
  if (details.length > 0) description += ` (${details.join(', ')})`;

  const key = [...root.querySelectorAll('[class$="-swatch"]')].map((swatch) => text(swatch)).filter((entry): entry is string => !!entry);
  if (key.length > 0) {
    const named = key.slice(0, MAX_KEY_ENTRIES).join(', ');
    description += `; colour: ${named}${key.length > MAX_KEY_ENTRIES ? ` and ${key.length - MAX_KEY_ENTRIES} more` : ''}`;
  }
  if (caption) description += `. ${caption}`;
  return description;
}

/**
 * Where a key moves the focus among `count` marks from mark `at` (−1: the
 * chart itself): a mark's index, −1 for the chart, `undefined` for a key
 * that does not move it.
 */
export function markAfterKey(key: string, at: number, count: number): number | undefined {
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return Math.min(at + 1, count - 1);
    case 'ArrowLeft':
    case 'ArrowUp':
      return at <= 0 ? 0 : at - 1;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'Escape':
      return at >= 0 ? -1 : undefined;
    default:
      return undefined;
  }
}
