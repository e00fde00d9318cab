/**
 * D-pad navigation for TV mode: arrow keys move the focus to the nearest focusable element
 * (marked `data-tv-focus`) in that direction, the way TV remotes expect; Enter activates it as
 * any button or link. Distance weighs the cross axis double so moving "down" stays in its column.
 */
export type Direction = 'up' | 'down' | 'left' | 'right';

const KEYS: Record<string, Direction> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };

export function directionOf(key: string): Direction | undefined {
  return KEYS[key];
}

interface Box {
  x: number;
  y: number;
  el: HTMLElement;
}

function center(el: HTMLElement): Box {
  const r = el.getBoundingClientRect();
  return { x: r.left + r.width / 2, y: r.top + r.height / 2, el };
}

export function nextFocus(
  from: HTMLElement | null,
  dir: Direction,
  root: ParentNode = document,
): HTMLElement | undefined {
  const all = [...root.querySelectorAll<HTMLElement>('[data-tv-focus]')].filter(
    (el) => el.offsetParent !== null && !el.hasAttribute('disabled'),
  );
  if (!from || !all.includes(from)) return all[0];
  const a = center(from);
  const vertical = dir === 'up' || dir === 'down';
  // Up and down move between rows: never within the row the focus is in, and always to the nearest
  // row first (tiles of one row can differ in height), then to the tile closest across.
  const row = vertical ? from.closest('section') : null;
  let best: { el: HTMLElement; score: number } | undefined;
  for (const el of all) {
    if (el === from || row?.contains(el)) continue;
    const b = center(el);
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const main = dir === 'left' ? -dx : dir === 'right' ? dx : dir === 'up' ? -dy : dy;
    const cross = dir === 'left' || dir === 'right' ? Math.abs(dy) : Math.abs(dx);
    if (main <= 1) continue;
    const rowTop = row ? (el.closest('section')?.getBoundingClientRect().top ?? b.y) : 0;
    const score = row ? Math.abs(rowTop - row.getBoundingClientRect().top) * 1e4 + cross : main + cross * 2;
    if (!best || score < best.score) best = { el, score };
  }
  return best?.el;
}

/** Installs the arrow-key handler; returns the uninstaller. */
export function installSpatialNav(onBack: () => void): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' || e.key === 'Backspace' || e.key === 'BrowserBack') {
      const target = e.target as HTMLElement | null;
      if (target?.tagName === 'INPUT') return;
      e.preventDefault();
      onBack();
      return;
    }
    const dir = directionOf(e.key);
    if (!dir) return;
    // Left and right move the caret in a text box; up and down leave it.
    if ((dir === 'left' || dir === 'right') && (e.target as HTMLElement | null)?.tagName === 'INPUT') return;
    const next = nextFocus(document.activeElement as HTMLElement | null, dir);
    if (next) {
      e.preventDefault();
      next.focus();
      next.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
