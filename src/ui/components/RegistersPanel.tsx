/** pc, privilege mode, x0–x31 with ABI names, and the main CSRs decoded into their fields. */
import { splitHex64 } from '../format.ts';
import type { DecodedCsr, VmSnapshotView } from '../../worker/inspect-types.ts';

function CsrRow({ csr }: { csr: DecodedCsr }) {
  return (
    <div className="csr">
      <div className="csr-head">
        <span className="reg-name">{csr.name}</span>
        <code>{splitHex64(csr.hex)}</code>
      </div>
      {csr.fields.length > 0 && (
        <div className="fields">
          {csr.fields.map((f) => (
            <span key={f.name} className={`field${f.value !== '0' ? ' set' : ''}`} title={f.meaning}>
              {f.name}={f.value}
              {f.meaning !== undefined && f.name !== 'BASE' && <em> {f.meaning}</em>}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}

export function RegistersPanel({ snap }: { snap: VmSnapshotView | undefined }) {
  const hart = snap?.machine?.hart;
  return (
    <details className="panel" open>
      <summary>Registers</summary>
      {!hart ? (
        <p className="empty">No machine yet.</p>
      ) : (
        <>
          <div className="hart-line">
            <span>
              pc <code data-testid="pc">{splitHex64(hart.pc)}</code>
            </span>
            <span>
              mode <strong data-testid="priv">{hart.priv}</strong>
            </span>
            {hart.wfi && <span className="tag">WFI</span>}
            <span className="instret">{snap.instret.toLocaleString()} instructions</span>
          </div>
          <div className="gprs">
            {hart.x.map((r) => (
              <div key={r.name} className={`gpr${/^0+$/.test(r.hex) ? ' zero' : ''}`} title={r.name}>
                <span className="reg-name">{r.abi}</span>
                <code>{splitHex64(r.hex)}</code>
              </div>
            ))}
          </div>
          <div className="csrs">
            {hart.csrs.map((c) => (
              <CsrRow key={c.name} csr={c} />
            ))}
          </div>
        </>
      )}
    </details>
  );
}
