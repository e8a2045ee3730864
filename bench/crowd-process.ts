// A part of the crowd bench in a process of its own, so the parts run side by side on the machine's
// cores (bench/crowd.ts): the part and its spec are the one argument, its result the last line printed.

import { type SamplingRun, samplingLoop } from './crowd-sampling';
import { brokenNetwork, type CrowdSize, countryOutage, type OutageRun } from './crowd-scenarios';
import { crowdWeek, type WeekResult, type WeekSpec } from './crowd-week';

export type CrowdPart =
  | { readonly part: 'week'; readonly spec: WeekSpec }
  | {
      readonly part: 'country-network-sampling';
      readonly size: CrowdSize;
      readonly runs: number;
      readonly sampling: { readonly size: CrowdSize; readonly target: number; readonly minutes: number };
    };

export interface CountryNetworkSampling {
  readonly country: OutageRun[];
  readonly broken: Awaited<ReturnType<typeof brokenNetwork>>;
  readonly sampling: SamplingRun;
}

export type PartResult<P extends CrowdPart> = P['part'] extends 'week' ? WeekResult : CountryNetworkSampling;

async function run(p: CrowdPart): Promise<WeekResult | CountryNetworkSampling> {
  if (p.part === 'week') return crowdWeek(p.spec);
  const country: OutageRun[] = [];
  for (let i = 0; i < p.runs; i++) country.push(await countryOutage(p.size, 101 + i));
  const broken = await brokenNetwork(p.size, 201);
  const sampling = await samplingLoop(p.sampling.size, 301, p.sampling.target, p.sampling.minutes);
  return { country, broken, sampling };
}

if (process.argv[2]) {
  process.stdout.write(`${JSON.stringify(await run(JSON.parse(process.argv[2]) as CrowdPart))}\n`);
}
