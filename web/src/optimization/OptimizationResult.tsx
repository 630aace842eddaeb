// One finished optimization: the best parameters and their metrics, the diagnostics' verdict, a heatmap of the
// objective over two searched parameters, the trials (sorted and paged by the server), in-sample against
// out-of-sample per window (each window's diagnostics, the analysis's verdict) for a walk-forward run, and the
// HTML report (fetched with the token, saved as a file).

import { useEffect, useMemo, useState } from 'preact/hooks';
import { humanize } from '../backtests/curves.js';
import { MetricsTable } from '../backtests/runFields.js';
import { useApp } from '../context.js';
import { num, pct } from '../format.js';
import { useResource } from '../hooks.js';
import { pageInfo, type SortState } from '../table.js';
import type { Paged } from '../types.js';
import { download, ErrorLine, Pager, SortTh } from '../ui.js';
import { heatmapOfCells, shade, type HeatBin, type HeatCell, type HeatTrial } from './search.js';

type Metrics = Record<string, number | null>;

interface Diagnostics {
  readonly verdict: string;
  readonly deflatedSharpe: number | null;
  readonly pbo: { pbo: number } | null;
}

interface ResultJson {
  readonly best: { params: Record<string, unknown>; objective: number | null; metrics: Metrics } | null;
  readonly stats?: { trials: number; feasible: number };
  readonly diagnostics?: Diagnostics | null;
  readonly walkForward?: {
    efficiency: number | null;
    oosMetrics: Metrics;
    /** The whole analysis's verdict (older stored runs have none). */
    diagnostics?: { verdict: string; deflatedSharpe: number | null; trials: number };
    windows: { oosFrom: string; oosTo: string; params: Record<string, unknown>; isObjective: number | null; isMetrics: Metrics; oosMetrics: Metrics; diagnostics?: Diagnostics | null }[];
  };
}

interface TrialRow extends HeatTrial {
  readonly id: number;
  readonly window: number | null;
  readonly metrics: Metrics;
}

const TRIAL_METRICS = ['totalReturn', 'sharpe', 'maxDrawdown', 'tradeCount'] as const;
const PAGE = 20;

export function OptimizationResult(props: { id: number; searched: readonly string[] }) {
  const { api } = useApp();
  const [r, setR] = useState<ResultJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setR(null);
    api.get<ResultJson>(`/optimizations/${props.id}/result`).then(setR, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [api, props.id]);
  const report = async (): Promise<void> => {
    try {
      download(`optimization-${props.id}.html`, await api.request<string>('GET', `/optimizations/${props.id}/report`), 'text/html');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div>
      <ErrorLine error={error} />
      <div class="row">
        <button id="opt-report" onClick={() => void report()}>
          Download HTML report
        </button>
      </div>
      {r === null ? <p class="muted">Loading…</p> : r.walkForward ? <WalkForward wf={r.walkForward} /> : <Best r={r} />}
      {r !== null && !r.walkForward && props.searched.length >= 2 ? <Heat id={props.id} searched={props.searched} best={r.best?.params ?? null} /> : null}
      <Trials id={props.id} searched={props.searched} />
    </div>
  );
}

function Best(props: { r: ResultJson }) {
  const { best, diagnostics } = props.r;
  return (
    <div>
      {diagnostics ? (
        <p id="opt-verdict" class="verdict">
          <strong>Verdict: </strong>
          {diagnostics.verdict}
        </p>
      ) : null}
      {best === null ? (
        <p class="muted">No trial met the constraints.</p>
      ) : (
        <div class="row">
          <table id="opt-best" aria-label="Best parameters">
            <tbody>
              {Object.entries(best.params).map(([k, v]) => (
                <tr key={k} data-param={k}>
                  <th scope="row">{k}</th>
                  <td class="r">{String(v)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">Objective</th>
                <td class="r" id="opt-best-objective">
                  {num(best.objective, 4)}
                </td>
              </tr>
            </tbody>
          </table>
          <MetricsTable id="opt-best-metrics" label="Metrics of the best parameters" metrics={best.metrics} />
        </div>
      )}
    </div>
  );
}

/** A heatmap row or column: a bin's lower edge may carry float noise (0.30000000000000004). */
function axisLabel(v: string | number | boolean): string {
  return typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v);
}

/** The best objective per cell of two searched parameters (the best point outlined); values printed in each cell. */
function Heat(props: { id: number; searched: readonly string[]; best: Record<string, unknown> | null }) {
  const [x, setX] = useState(props.searched[0] ?? '');
  const [y, setY] = useState(props.searched[1] ?? '');
  // Aggregated by the server over every stored trial, so the map is true however many trials the run has.
  const trials = useResource<{ cells: HeatCell[]; bins: { x: HeatBin | null; y: HeatBin | null } }>(`/optimizations/${props.id}/heatmap?x=${encodeURIComponent(x)}&y=${encodeURIComponent(y)}`);
  const map = useMemo(() => heatmapOfCells(trials.data?.cells ?? [], x, y), [trials.data, x, y]);
  const bins = trials.data?.bins;
  const binned = [bins?.x == null ? null : x, bins?.y == null || y === x ? null : y].filter((n): n is string => n !== null);
  const pick = (label: string, value: string, set: (v: string) => void, id: string) => (
    <label>
      {label}
      <select id={id} value={value} onChange={(e) => set(e.currentTarget.value)}>
        {props.searched.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section id="opt-heatmap" aria-label="Objective heatmap">
      <h3>
        Objective over {x} × {y}
      </h3>
      <div class="row">
        {pick('Across', x, setX, 'opt-heat-x')}
        {pick('Down', y, setY, 'opt-heat-y')}
      </div>
      <ErrorLine error={trials.error} />
      <div class="scroll">
        <table class="heatmap" aria-label={`best objective by ${x} and ${y}`}>
          <thead>
            <tr>
              <th scope="col">
                {y} \ {x}
              </th>
              {map.xs.map((v) => (
                <th scope="col" class="r" key={String(v)}>
                  {axisLabel(v)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {map.ys.map((yv, j) => (
              <tr key={String(yv)}>
                <th scope="row">{axisLabel(yv)}</th>
                {map.xs.map((xv, i) => {
                  const v = map.cells[j]?.[i] ?? null;
                  const isBest = props.best !== null && props.best[x] === xv && props.best[y] === yv;
                  const style = v === null ? undefined : { background: `hsl(${Math.round(shade(v, map) * 120)}, 60%, 45%)`, color: '#fff' };
                  return (
                    <td key={String(xv)} class={isBest ? 'r heat best' : 'r heat'} style={style} data-x={String(xv)} data-y={String(yv)} title={`${x}=${String(xv)} ${y}=${String(yv)}`}>
                      {v === null ? '–' : num(v, 2)}
                      {isBest ? <span class="sr-only"> (best)</span> : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="small muted">
        Red is the lowest objective, green the highest; the best point is outlined; – means no feasible trial.
        {binned.length > 0 ? ` ${binned.join(' and ')}: too many values for a column each, so cut into equal bins (each labelled by its lower edge; the best point is not outlined there).` : ''}
      </p>
    </section>
  );
}

function WalkForward(props: { wf: NonNullable<ResultJson['walkForward']> }) {
  const { wf } = props;
  return (
    <section id="opt-walkforward" aria-label="Walk-forward">
      {wf.diagnostics ? (
        <p id="opt-verdict" class="verdict">
          <strong>Verdict: </strong>
          {wf.diagnostics.verdict}
        </p>
      ) : null}
      <p>
        Walk-forward efficiency <span id="opt-wf-efficiency">{num(wf.efficiency, 3)}</span>; stitched out-of-sample return {pct(wf.oosMetrics.totalReturn)}, Sharpe {num(wf.oosMetrics.sharpe, 3)}.
      </p>
      <div class="scroll">
        <table aria-label="In-sample against out-of-sample per window">
          <thead>
            <tr>
              <th scope="col">Out of sample</th>
              <th scope="col">Parameters</th>
              <th scope="col" class="r">IS objective</th>
              <th scope="col" class="r">IS return</th>
              <th scope="col" class="r">OOS return</th>
              <th scope="col" class="r">IS Sharpe</th>
              <th scope="col" class="r">OOS Sharpe</th>
              <th scope="col" class="r" title="deflated Sharpe ratio of the window's in-sample best, for its trials">
                IS deflated Sharpe
              </th>
              <th scope="col" class="r" title="probability of backtest overfitting of the window's in-sample optimization">
                IS PBO
              </th>
            </tr>
          </thead>
          <tbody>
            {wf.windows.map((w) => (
              <tr key={w.oosFrom} data-window={w.oosFrom}>
                <td>
                  {w.oosFrom.slice(0, 10)} – {w.oosTo.slice(0, 10)}
                </td>
                <td>{Object.entries(w.params).map(([k, v]) => `${k}=${String(v)}`).join(' ')}</td>
                <td class="r">{num(w.isObjective, 3)}</td>
                <td class="r">{pct(w.isMetrics.totalReturn)}</td>
                <td class="r">{pct(w.oosMetrics.totalReturn)}</td>
                <td class="r">{num(w.isMetrics.sharpe, 3)}</td>
                <td class="r">{num(w.oosMetrics.sharpe, 3)}</td>
                <td class="r" data-col="dsr" title={w.diagnostics?.verdict}>
                  {num(w.diagnostics?.deflatedSharpe, 3)}
                </td>
                <td class="r">{pct(w.diagnostics?.pbo?.pbo, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Trials(props: { id: number; searched: readonly string[] }) {
  const [sort, setSort] = useState<SortState | null>({ key: 'objective', dir: 'desc' });
  const [offset, setOffset] = useState(0);
  const s = sort ?? { key: 'trial', dir: 'asc' };
  const page = useResource<Paged<TrialRow>>(`/optimizations/${props.id}/trials?sort=${s.key}&dir=${s.dir}&limit=${PAGE}&offset=${offset}`);
  const items = page.data?.items ?? [];
  const onSort = (next: SortState): void => {
    setSort(next);
    setOffset(0);
  };
  return (
    <section id="opt-trials" aria-label="Trials">
      <h3>Trials</h3>
      <ErrorLine error={page.error} />
      <div class="scroll">
        <table aria-label="Trials of the run">
          <thead>
            <tr>
              <SortTh label="#" k="trial" sort={sort} onSort={onSort} right />
              {props.searched.map((p) => (
                <th scope="col" key={p} class="r">
                  {p}
                </th>
              ))}
              <SortTh label="Objective" k="objective" sort={sort} onSort={onSort} right />
              {TRIAL_METRICS.map((m) => (
                <SortTh key={m} label={humanize(m)} k={m} sort={sort} onSort={onSort} right />
              ))}
              <th scope="col">Feasible</th>
            </tr>
          </thead>
          <tbody>
            {items.map((t) => (
              <tr key={`${t.window ?? ''}-${t.id}`} data-trial={t.id}>
                <td class="r">{t.window === null ? t.id : `${t.window}/${t.id}`}</td>
                {props.searched.map((p) => (
                  <td key={p} class="r">
                    {String(t.point[p] ?? '')}
                  </td>
                ))}
                <td class="r">{num(t.objective, 4)}</td>
                {TRIAL_METRICS.map((m) => (
                  <td key={m} class="r">
                    {m === 'tradeCount' ? num(t.metrics[m], 0) : num(t.metrics[m], 4)}
                  </td>
                ))}
                <td>{t.feasible ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager info={pageInfo(offset, PAGE, items.length, page.data?.total ?? 0)} onPrev={() => setOffset(Math.max(0, offset - PAGE))} onNext={() => setOffset(offset + PAGE)} label="trials" />
    </section>
  );
}
