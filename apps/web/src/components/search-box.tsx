import { type FormEvent, type KeyboardEvent, useEffect, useId, useState } from 'react';
import { api } from '../api/api-client.ts';
import type { Suggestion } from '../api/types.ts';
import { navigate } from '../router.tsx';

/**
 * The search field with as-you-type title suggestions (ARIA combobox + listbox). Enter runs a
 * full natural-language search; choosing a suggestion opens that title.
 */
export function SearchBox({ initial = '' }: { initial?: string }) {
  const [q, setQ] = useState(initial);
  const [items, setItems] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const listId = useId();
  useEffect(() => setQ(initial), [initial]);
  useEffect(() => {
    const text = q.trim();
    if (text.length < 2) {
      setItems([]);
      return;
    }
    const ac = new AbortController();
    // A short pause so typing fast sends one request, not one per key.
    const timer = setTimeout(() => {
      api<{ suggestions: Suggestion[] }>(`/api/search/suggest?q=${encodeURIComponent(text.slice(0, 100))}&limit=6`, {
        signal: ac.signal,
      }).then(
        (r) => setItems(r.suggestions),
        () => setItems([]),
      );
    }, 120);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [q]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setOpen(false);
    const chosen = active >= 0 ? items[active] : undefined;
    if (chosen) navigate(`/title/${chosen.id}`);
    else if (q.trim()) navigate(`/search?q=${encodeURIComponent(q.trim())}`);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' && items.length) {
      e.preventDefault();
      setOpen(true);
      setActive((i) => (i + 1) % items.length);
    } else if (e.key === 'ArrowUp' && items.length) {
      e.preventDefault();
      setActive((i) => (i <= 0 ? items.length - 1 : i - 1));
    } else if (e.key === 'Escape' && open && items.length) {
      // Close the suggestions only; without preventDefault Chrome also clears a type=search field.
      e.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  };
  const showList = open && items.length > 0;
  return (
    /* biome-ignore lint/a11y/useSemanticElements: <search> is too new for the TV browsers we target;
       role="search" is equivalent */
    <form role="search" className="search-box" onSubmit={submit}>
      <label htmlFor="q" className="visually-hidden">
        Search titles, or describe what you feel like watching
      </label>
      <input
        id="q"
        name="q"
        type="search"
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList && active >= 0 ? `${listId}-${active}` : undefined}
        autoComplete="off"
        placeholder="e.g. scary movies on Netflix under 2 hours"
        value={q}
        maxLength={500}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKey}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <button type="submit">Search</button>
      <ul
        id={listId}
        /* biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the combobox's listbox; focus stays in the
           input (aria-activedescendant) */
        role="listbox"
        className="suggestions"
        hidden={!showList}
        aria-label="Suggestions"
      >
        {items.map((s, i) => (
          /* biome-ignore lint/a11y/useFocusableInteractive: options are reached with the arrow keys from the input
             (aria-activedescendant) */
          <li
            key={s.id}
            id={`${listId}-${i}`}
            // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: an option of the combobox's listbox
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => {
              e.preventDefault();
              setOpen(false);
              navigate(`/title/${s.id}`);
            }}
          >
            {s.title}{' '}
            <span className="muted">
              {[s.type === 'series' ? 'Series' : 'Movie', s.year].filter(Boolean).join(' · ')}
            </span>
          </li>
        ))}
      </ul>
    </form>
  );
}
