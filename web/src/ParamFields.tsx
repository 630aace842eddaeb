// Form fields generated from a parameter schema: number inputs with min/max, selects for options and
// booleans, each with its description and its error.

import type { ParamSchema } from './params.js';

export function ParamFields(props: { schema: ParamSchema; values: Record<string, string>; errors: Record<string, string>; onChange: (v: Record<string, string>) => void; idPrefix: string }) {
  const { schema, values, errors } = props;
  const set = (k: string, v: string): void => props.onChange({ ...values, [k]: v });
  return (
    <div class="row params">
      {Object.entries(schema).map(([k, s]) => {
        const id = `${props.idPrefix}-${k}`;
        const err = errors[k];
        const common = { id, 'aria-invalid': err ? ('true' as const) : undefined, 'aria-describedby': `${id}-help` };
        return (
          <label key={k} title={s.description}>
            {k}
            {s.type === 'enum' || s.type === 'boolean' ? (
              <select {...common} value={values[k] ?? ''} onChange={(e) => set(k, e.currentTarget.value)}>
                {(s.type === 'boolean' ? ['true', 'false'] : (s.options ?? [])).map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <input {...common} inputMode="decimal" value={values[k] ?? ''} onInput={(e) => set(k, e.currentTarget.value)} />
            )}
            <span class="small muted" id={`${id}-help`}>
              {err ? <span class="error">{err}</span> : s.min !== undefined || s.max !== undefined ? `${s.min ?? ''}…${s.max ?? ''}` : ''}
            </span>
          </label>
        );
      })}
    </div>
  );
}
