// "Report a problem": one POST to the feed the user set, through the one HTTP helper, and what came
// of it in words (an outcome the popup shows).

import { type ReportOutcome, reportOutcome } from '../core/report';
import type { ServiceId } from '../core/services';
import type { Settings } from '../core/settings';
import { feedReportUrl } from '../core/settings-edit';
import type { Thresholds } from '../core/thresholds';
import { type Problem, REPORT_ANSWER_MAX_BYTES } from '../shared/feed';
import { type HttpEnv, httpRequest } from '../sources/http';
import { type SenderDeps, senderFor } from './sender';

export interface ReportDeps extends SenderDeps {
  readonly loadSettings: () => Promise<Settings>;
  readonly env: HttpEnv;
  readonly now: () => number;
  readonly thresholds: Thresholds;
  readonly log?: (event: string, data?: Record<string, unknown>) => void;
}

export async function sendReport(
  deps: ReportDeps,
  service: ServiceId,
  problem: Problem,
): Promise<ReportOutcome> {
  const settings = await deps.loadSettings();
  if (!settings.feedUrl) return { kind: 'no-feed' };
  const url = feedReportUrl(settings.feedUrl);
  if (!url) return { kind: 'read-only-feed' };
  const sender = await senderFor(deps, url, settings.shareCountry, deps.now());
  if (!sender) return { kind: 'no-consent' };
  const body = JSON.stringify({
    service,
    problem,
    ...(sender.country ? { country: sender.country } : {}),
    client: sender.client,
  });
  const outcome = await httpRequest(deps.env, {
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    timeoutMs: deps.thresholds.timeoutMs * 2,
    // The answer is a few dozen bytes: more is not read.
    maxBytes: REPORT_ANSWER_MAX_BYTES,
  });
  const answer = (text: string | null): unknown => {
    try {
      return JSON.parse(text ?? '');
    } catch {
      return null;
    }
  };
  let result: ReportOutcome;
  switch (outcome.kind) {
    case 'ok':
      result = reportOutcome(outcome.status ?? 0, answer(outcome.body), null);
      break;
    case 'http-error':
      result = reportOutcome(outcome.status, answer(outcome.body), outcome.retryAfter);
      break;
    // Redirected from https to http: the answer came over a wire anyone could change, so it is not
    // believed (a 307/308 has resent the report by then; fetch gives no say before).
    case 'insecure-redirect':
      result = { kind: 'rejected', message: 'insecure redirect' };
      break;
    case 'too-large':
      result = { kind: 'rejected', message: 'answer too large' };
      break;
    default:
      result = { kind: 'unreachable' };
  }
  deps.log?.('report', { service, outcome: result.kind });
  return result;
}
