import type { AthenaEngineOptions } from './athena-engine';
import { EVENTS_TABLE } from './sql/kpi-sql';

/**
 * The KPI Lambda's configuration, read once from its environment (set by the CDK stack).
 * A missing or malformed variable fails the cold start with its name in the message.
 * GLUE_TABLE is optional; when set it must be the table the KPI SQL reads.
 */
export function athenaOptionsFromEnvironment(env: NodeJS.ProcessEnv): AthenaEngineOptions {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`Environment variable ${name} is required but not set`);
    return value;
  };
  const deadline = required('QUERY_DEADLINE_MS');
  const deadlineMs = Number(deadline);
  if (!/^[0-9]+$/.test(deadline) || deadlineMs < 1000 || deadlineMs > 28000) {
    throw new Error(
      `QUERY_DEADLINE_MS must be whole milliseconds from 1000 to 28000 (API Gateway gives up at 29 s), got ${JSON.stringify(deadline)}`,
    );
  }
  const table = env.GLUE_TABLE;
  if (table !== undefined && table !== EVENTS_TABLE) {
    throw new Error(
      `GLUE_TABLE must be ${EVENTS_TABLE}, the table the KPI SQL reads; got ${JSON.stringify(table)}`,
    );
  }
  return { workGroup: required('ATHENA_WORKGROUP'), database: required('GLUE_DATABASE'), deadlineMs };
}
