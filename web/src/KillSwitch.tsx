// The kill switch: its state and reason; trip (traders) and reset (admins), each with a reason and a confirmation.

import { useState } from 'preact/hooks';
import { allows, useApp } from './context.js';
import { dateTime } from './format.js';
import { ErrorLine } from './ui.js';

export interface SwitchState {
  readonly tripped: boolean;
  readonly reason: string | null;
  readonly changedBy: string | null;
  readonly changedAt: number | null;
}

export function KillSwitch(props: { state: SwitchState | null; onChange: () => void }) {
  const { api, me } = useApp();
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const s = props.state;
  if (!s) return null;
  const canAct = s.tripped ? allows(me.role, 'admin') : allows(me.role, 'trader');
  const act = async (): Promise<void> => {
    try {
      await api.request(s.tripped ? 'DELETE' : 'POST', '/risk/kill-switch', { reason: reason.trim() || (s.tripped ? 'reset from the dashboard' : 'tripped from the dashboard') });
      setConfirming(false);
      setReason('');
      setError(null);
      props.onChange();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div class={s.tripped ? 'kill tripped' : 'kill'} id="kill-switch">
      <p id="kill-state">
        <strong>{s.tripped ? '⛔ Kill switch TRIPPED' : '✓ Kill switch armed (trading allowed)'}</strong>
        {s.changedAt ? ` · ${s.changedBy ?? ''} ${dateTime(s.changedAt)}` : ''}
        {s.tripped && s.reason ? ` · ${s.reason}` : ''}
      </p>
      {canAct && !confirming ? (
        <button class={s.tripped ? '' : 'danger'} id="kill-action" onClick={() => setConfirming(true)}>
          {s.tripped ? 'Reset kill switch…' : 'Trip kill switch…'}
        </button>
      ) : null}
      {confirming ? (
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void act();
          }}
        >
          <label>
            Reason
            <input id="kill-reason" value={reason} maxLength={500} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          <button type="submit" class="danger" id="kill-confirm">
            {s.tripped ? 'Confirm reset' : 'Confirm: cancel working orders and stop trading'}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </form>
      ) : null}
      <ErrorLine error={error} />
    </div>
  );
}
