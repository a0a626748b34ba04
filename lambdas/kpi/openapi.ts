import { PARAMETERS } from './kpi-request';
import { KPI_ROUTES, type KpiRoute } from './kpi-routes';

/** The OpenAPI 3.1 document of the KPI API, generated from the route table. */

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const FAILURES = {
  400: errorResponse('A parameter is invalid; the message names it.'),
  404: errorResponse('No such path.'),
  429: errorResponse('The query engine is throttling; retry later.'),
  503: errorResponse('The query engine failed or refused the query.'),
  504: errorResponse('The query did not finish in time.'),
};

function operationId(path: string): string {
  const words = path
    .split('/')
    .filter((s) => s && s !== 'apps' && !s.startsWith('{'))
    .flatMap((s) => s.split('-'));
  return words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
}

function operation(route: KpiRoute) {
  const { definition } = route;
  const valueType = definition.nullWhen ? [definition.valueType, 'null'] : definition.valueType;
  return {
    operationId: operationId(route.path),
    summary: definition.summary,
    description: `Value for day d: ${definition.description}${
      definition.nullWhen ? ` Null when ${definition.nullWhen}.` : ' Days without data are 0.'
    }`,
    tags: [definition.path.startsWith('/events/') ? 'custom events' : 'kpis'],
    parameters: [...route.pathParameters, 'startDate', 'endDate', 'timezone', 'ifNoneMatch'].map((name) => ({
      $ref: `#/components/parameters/${name}`,
    })),
    responses: {
      200: {
        description:
          'One value per day of the range, in order. An answer computed from current rollups only carries an ETag (it stays the same until they change).',
        headers: {
          ETag: {
            description: 'Present when every day came from current rollups (docs/ROLLUPS.md).',
            schema: { type: 'string' },
          },
        },
        content: {
          'application/json': {
            schema: {
              allOf: [
                { $ref: '#/components/schemas/KpiSeries' },
                {
                  properties: {
                    values: {
                      type: 'array',
                      items: { properties: { value: { type: valueType } } },
                    },
                  },
                },
              ],
            },
          },
        },
      },
      304: { description: 'The If-None-Match ETag is still the answer.' },
      ...FAILURES,
    },
  };
}

function eventTypesOperation() {
  return {
    operationId: 'eventTypes',
    summary: 'The event types of an app',
    description:
      'The event types with at least one event on a day of the range (in the time zone), each with the names of the metrics and attributes its events carry: what /events/{eventName}/... can be asked about. `_endpoint.*` records are not events.',
    tags: ['custom events'],
    parameters: ['appId', 'startDate', 'endDate', 'timezone'].map((name) => ({
      $ref: `#/components/parameters/${name}`,
    })),
    responses: {
      200: {
        description: 'The event types, by name.',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/EventTypes' } } },
      },
      ...FAILURES,
    },
  };
}

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Mobile KPI API',
      version: '1.0.0',
      description:
        'The Amazon Mobile Analytics Querying API paths, computed from your own events (docs/CONTRACT.md §3 and §4).',
    },
    paths: {
      '/apps': {
        get: {
          operationId: 'apps',
          summary: 'The apps that have events',
          responses: {
            200: {
              description: 'The app ids that have events, sorted.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Apps' } } },
            },
            400: errorResponse('A query parameter was given; this path takes none.'),
            429: errorResponse('The lake storage is throttling; retry later.'),
            503: errorResponse('The lake storage failed; retry later.'),
          },
        },
      },
      '/apps/{appId}/events': { get: eventTypesOperation() },
      ...Object.fromEntries(KPI_ROUTES.map((route) => [route.path, { get: operation(route) }])),
      '/': {
        get: {
          operationId: 'index',
          summary: 'What this API is, with links to this document and to the apps',
          responses: { 200: { description: 'The index.', content: { 'application/json': {} } } },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openApi',
          summary: 'This document',
          responses: { 200: { description: 'The OpenAPI document.', content: { 'application/json': {} } } },
        },
      },
    },
    components: {
      parameters: {
        ...Object.fromEntries(
          Object.entries(PARAMETERS).map(([name, rule]) => [
            name,
            {
              name,
              in: rule.in,
              required: rule.in === 'path',
              description: rule.description,
              schema: rule.schema,
            },
          ]),
        ),
        ifNoneMatch: {
          name: 'If-None-Match',
          in: 'header',
          required: false,
          description: 'The ETag of an earlier answer: the answer is a 304 while that is still the answer.',
          schema: { type: 'string' },
        },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['message'],
          properties: { message: { type: 'string' } },
        },
        Apps: {
          type: 'object',
          required: ['apps'],
          properties: { apps: { type: 'array', items: { type: 'string' } } },
        },
        EventTypes: {
          type: 'object',
          required: ['appId', 'startDate', 'endDate', 'timezone', 'events'],
          properties: {
            appId: { type: 'string' },
            startDate: { type: 'string', format: 'date' },
            endDate: { type: 'string', format: 'date' },
            timezone: { type: 'string' },
            events: {
              type: 'array',
              description: 'By name; the names of metrics and attributes sorted too.',
              items: {
                type: 'object',
                required: ['name', 'metrics', 'attributes'],
                properties: {
                  name: {
                    type: 'string',
                    description: 'The event type, as /events/{eventName}/... takes it.',
                  },
                  metrics: { type: 'array', items: { type: 'string' } },
                  attributes: { type: 'array', items: { type: 'string' } },
                },
              },
            },
            bytesScanned: {
              type: 'integer',
              description: 'Bytes the query engine read, where it reports them.',
            },
            cached: { type: 'boolean', description: 'True when the engine answered from a cached result.' },
          },
        },
        KpiSeries: {
          type: 'object',
          required: [
            'appId',
            'kpi',
            'startDate',
            'endDate',
            'timezone',
            'values',
            'source',
            'engineMs',
            'freshness',
          ],
          properties: {
            appId: { type: 'string' },
            kpi: { type: 'string', examples: ['dau/count'] },
            startDate: { type: 'string', format: 'date' },
            endDate: { type: 'string', format: 'date' },
            timezone: { type: 'string' },
            values: {
              type: 'array',
              items: {
                type: 'object',
                required: ['date', 'value'],
                properties: { date: { type: 'string', format: 'date' }, value: { type: ['number', 'null'] } },
              },
            },
            source: {
              type: 'object',
              required: ['rollup', 'raw'],
              description:
                'Which requested dates came from rollups only, and which read raw events for at least one UTC day (today, a day with late events since its rollup, every day in a zone whose offsets are not whole quarter-hours).',
              properties: {
                rollup: { type: 'array', items: { type: 'string', format: 'date' } },
                raw: { type: 'array', items: { type: 'string', format: 'date' } },
              },
            },
            bytesScanned: {
              type: 'integer',
              description:
                'Bytes the query read: Athena’s DataScannedInBytes, or locally the compressed size of the column chunks it read.',
            },
            engineMs: {
              type: 'integer',
              description: 'Time the query engine took, in ms; 0 when the answer came from the cache.',
            },
            freshness: {
              type: ['string', 'null'],
              format: 'date-time',
              description:
                'The latest arrival_timestamp among the events the answer includes (ISO 8601); null when it includes none.',
            },
            cached: {
              type: 'boolean',
              description: 'True when the answer is an earlier result (the cache, or Athena’s result reuse).',
            },
          },
        },
      },
    },
  };
}
