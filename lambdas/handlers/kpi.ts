import { handle } from 'hono/aws-lambda';
import { AthenaEngine } from '../kpi/athena-engine';
import { createKpiApp } from '../kpi/kpi-app';
import { athenaOptionsFromEnvironment } from '../kpi/kpi-environment';

/** The KPI API on Lambda: the shared app over Athena. Configuration is read once, at cold start. */
const engine = new AthenaEngine(athenaOptionsFromEnvironment(process.env));

export const handler = handle(createKpiApp({ engine }));
