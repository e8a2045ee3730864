import { useState } from 'preact/hooks';
import { plural, type Translate } from '../core/format';
import type { MessageKey } from '../core/messages';
import type { ReportOutcome } from '../core/report';
import { type CatalogId, SERVICE_NAMES, type ServiceId } from '../core/services';
import { PROBLEMS, type Problem } from '../shared/feed';

type Phase =
  | { step: 'idle' }
  | { step: 'picking' }
  | { step: 'sending' }
  | { step: 'done'; outcome: ReportOutcome };

/** "Report a problem": pick what is wrong, send it, say what came of it in words. */
export function ReportButton(props: {
  /** Only the catalog's services: the feed takes no reports of a user's own app. */
  service: CatalogId;
  t: Translate;
  locale: string;
  report: (service: ServiceId, problem: Problem) => Promise<ReportOutcome>;
}) {
  const { service, t, locale } = props;
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const name = SERVICE_NAMES[service];
  const send = (problem: Problem) => {
    setPhase({ step: 'sending' });
    props.report(service, problem).then(
      (outcome) => setPhase({ step: 'done', outcome }),
      () => setPhase({ step: 'done', outcome: { kind: 'unreachable' } }),
    );
  };
  return (
    <div class="report">
      {phase.step !== 'picking' && (
        <button
          type="button"
          class="link"
          data-action="report"
          data-service={service}
          disabled={phase.step === 'sending'}
          onClick={() => setPhase({ step: 'picking' })}
        >
          {phase.step === 'sending' ? t('reportSending') : t('reportButton')}
        </button>
      )}
      {phase.step === 'picking' && (
        <fieldset class="report-pick">
          <legend>{t('reportPick', [name])}</legend>
          {PROBLEMS.map((p) => (
            <button key={p} type="button" data-problem={p} onClick={() => send(p)}>
              {t(`problem_${p}` as MessageKey)}
            </button>
          ))}
          <button type="button" class="link" onClick={() => setPhase({ step: 'idle' })}>
            {t('reportCancel')}
          </button>
        </fieldset>
      )}
      {phase.step === 'done' && (
        <p class="report-outcome" role="status" data-outcome={phase.outcome.kind}>
          {outcomeText(phase.outcome, name, t, locale)}
        </p>
      )}
    </div>
  );
}

export function outcomeText(outcome: ReportOutcome, name: string, t: Translate, locale: string): string {
  switch (outcome.kind) {
    case 'counted':
      return t('reportCounted');
    case 'duplicate':
      return t('reportDuplicate', [name]);
    case 'rate-limited':
      return plural(t, locale, 'reportRateLimited', outcome.retryAfterSeconds);
    case 'unreachable':
      return t('reportUnreachable');
    case 'rejected':
      return t('reportRejected', [outcome.message]);
    case 'no-feed':
      return t('reportNoFeed');
    case 'read-only-feed':
      return t('reportReadOnly');
    case 'no-consent':
      return t('reportNoConsent');
  }
}
