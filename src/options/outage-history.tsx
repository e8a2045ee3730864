import { type Outage, outagesCsv } from '../core/outages';
import { latestOutages, OutageList, type OutagesProps } from '../popup/outages';
import { Section } from './section';

export const OUTAGES_FILE_NAME = 'detour-outages.csv';
const SHOWN = 20;

/** Saves the whole log as a CSV file; it never leaves this device. */
export function downloadOutages(outages: readonly Outage[]): void {
  const url = URL.createObjectURL(new Blob([outagesCsv(outages)], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = OUTAGES_FILE_NAME;
  link.rel = 'noopener';
  link.hidden = true;
  // Attached while clicked: some browsers ignore a click on a link that is not in the page.
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The outage log: the latest outages in words, and the whole log as a file. */
export function OutageHistorySection(props: OutagesProps) {
  const { outages, t, locale, now, apps } = props;
  return (
    <Section id="outages" title={t('outagesTitle')} t={t}>
      {outages.length === 0 ? (
        <p class="hint">{t('outagesEmpty')}</p>
      ) : (
        <>
          <OutageList outages={latestOutages(outages, SHOWN)} t={t} locale={locale} now={now} apps={apps} />
          <button type="button" data-action="export-outages" onClick={() => downloadOutages(outages)}>
            {t('exportOutages')}
          </button>
        </>
      )}
    </Section>
  );
}
