/**
 * Browser side: the run's tables as HTML tables. Clicking a header sorts by that column
 * (again: the other way); numbers sort by value, text naturally ("vm 2" before "vm 10"),
 * empty cells last. Rows follow the VM filter; long tables show 500 rows and a "show all".
 *
 * Inlined with `Function.prototype.toString`: self-contained, imports are types only.
 */
import type { CellValue, TableData } from "../report-types.js";
import type { Fmt } from "./client-format.js";

/** The table factory. */
export function tablesModule(fmt: Fmt) {
  const PAGE = 500;
  const sorts = new Map<string, { col: number; desc: boolean }>();
  const expanded = new Set<string>();

  function compare(a: CellValue, b: CellValue): number {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b), "en", { numeric: true });
  }

  /** Replaces `host`'s content with table `t` for `group` (null: every row). */
  function render(host: HTMLElement, t: TableData, group: string | null): void {
    host.replaceChildren();
    let rows = t.rows.filter((r) => t.groupColumn < 0 || group === null || String(r[t.groupColumn]) === group);
    const sort = sorts.get(t.name);
    if (sort) {
      rows = [...rows].sort((a, b) => {
        const c = compare(a[sort.col] ?? null, b[sort.col] ?? null);
        return sort.desc && a[sort.col] !== null && b[sort.col] !== null ? -c : c;
      });
    }
    const table = fmt.el("table", "data");
    table.dataset.table = t.name;
    const head = fmt.el("tr");
    t.columns.forEach((c, i) => {
      const th = fmt.el("th", t.kinds[i] === "text" ? "" : "num", c);
      th.dataset.col = String(i);
      th.title = "Click to sort";
      if (sort && sort.col === i) {
        th.setAttribute("aria-sort", sort.desc ? "descending" : "ascending");
        th.textContent = `${c} ${sort.desc ? "▼" : "▲"}`;
      }
      th.addEventListener("click", () => {
        const cur = sorts.get(t.name);
        // First click on a numeric column sorts largest first: that is what people look for.
        const desc = cur && cur.col === i ? !cur.desc : t.kinds[i] !== "text";
        sorts.set(t.name, { col: i, desc });
        render(host, t, group);
      });
      head.append(th);
    });
    table.createTHead().append(head);
    const body = table.createTBody();
    const shown = expanded.has(t.name) ? rows : rows.slice(0, PAGE);
    for (const r of shown) {
      const tr = fmt.el("tr");
      t.columns.forEach((_c, i) => {
        const v = r[i] ?? null;
        const td = fmt.el("td", t.kinds[i] === "text" ? "" : "num", fmt.cell(v, t.kinds[i] ?? "text"));
        if (typeof v === "number") td.title = String(v);
        tr.append(td);
      });
      body.append(tr);
    }
    host.append(table);
    const caption = fmt.el("p", "note", `${rows.length.toLocaleString("en")} row${rows.length === 1 ? "" : "s"}${group !== null && t.groupColumn >= 0 ? ` for ${t.columns[t.groupColumn]} ${group}` : ""}${t.notes.length > 0 ? ` · ${t.notes.join(" · ")}` : ""}`);
    host.append(caption);
    if (shown.length < rows.length) {
      const more = fmt.el("button", "more", `Show all ${rows.length.toLocaleString("en")} rows`);
      more.addEventListener("click", () => { expanded.add(t.name); render(host, t, group); });
      host.append(more);
    }
  }

  return { render };
}
