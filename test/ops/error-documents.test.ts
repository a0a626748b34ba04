import { parseErrorObject } from '../../ops/error-documents';

const processing = {
  attemptsMade: 4,
  arrivalTimestamp: 1772366400000,
  errorCode: 'Lambda.FunctionError',
  errorMessage: 'The Lambda function was successfully invoked but it returned an error result.',
  attemptEndingTimestamp: 1772366460000,
  rawData: 'eyJhIjoxfQ==',
  lambdaArn: 'arn:aws:lambda:eu-west-1:111122223333:function:transformer',
};
const conversion = {
  attemptsMade: 1,
  arrivalTimestamp: 1772366400001,
  lastErrorCode: 'DataFormatConversion.MalformedData',
  lastErrorMessage: 'The record is malformed.',
  attemptEndingTimestamp: 1772366460000,
  rawData: 'e30=',
  sequenceNumber: '1',
  subSequenceNumber: 0,
  dataCatalogTable: { databaseName: 'mobile_kpi', tableName: 'events' },
};

describe('Firehose error objects', () => {
  it('read newline-separated and back-to-back documents, with either error field names', () => {
    const text = `${JSON.stringify(processing)}\n${JSON.stringify(conversion)}${JSON.stringify({ ...conversion, lastErrorCode: undefined, lastErrorMessage: undefined, ErrorCode: 'X', ErrorMessage: 'y', arrivalTimestamp: '7' })}\n`;
    expect(parseErrorObject(text)).toEqual([
      {
        document: {
          rawData: 'eyJhIjoxfQ==',
          arrivalTimestamp: 1772366400000,
          errorCode: 'Lambda.FunctionError',
          errorMessage: processing.errorMessage,
        },
      },
      {
        document: {
          rawData: 'e30=',
          arrivalTimestamp: 1772366400001,
          errorCode: 'DataFormatConversion.MalformedData',
          errorMessage: 'The record is malformed.',
        },
      },
      { document: { rawData: 'e30=', arrivalTimestamp: 7, errorCode: 'X', errorMessage: 'y' } },
    ]);
  });

  it('keep braces inside strings inside their document', () => {
    const tricky = { ...processing, errorMessage: 'a } and a { and a \\" quote' };
    expect(parseErrorObject(JSON.stringify(tricky))).toEqual([
      { document: expect.objectContaining({ errorMessage: 'a } and a { and a \\" quote' }) },
    ]);
  });

  it('report what is not a document, where, and go on with the rest', () => {
    const text = `garbage ${JSON.stringify({ no: 'rawData' })}{"rawData": 5}${JSON.stringify(processing)}{"rawData": "abc`;
    expect(parseErrorObject(text)).toEqual([
      { problem: 'at character 0: not a JSON document' },
      { problem: 'at character 8: has no rawData (the record itself)' },
      { problem: 'at character 24: has no rawData (the record itself)' },
      { document: expect.objectContaining({ rawData: 'eyJhIjoxfQ==' }) },
      { problem: expect.stringMatching(/^at character \d+: not a JSON document$/) },
    ]);
  });
});
