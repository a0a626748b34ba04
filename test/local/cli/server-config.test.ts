import { CliError } from '../../../local/cli/cli-error';
import { parseServerCommand } from '../../../local/cli/server-config';

const config = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const command = parseServerCommand(argv, env);
  if (command.help) throw new Error('expected a configuration, got --help');
  return command.config;
};

describe('local server configuration', () => {
  it('uses port 3000, this machine only, ./.lake and sample data when nothing is given', () => {
    expect(config([])).toEqual({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './.lake',
      sampleData: true,
      lakeStartDate: '2014-01-01',
    });
  });

  it('takes environment variables over defaults', () => {
    const env = {
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/data/lake',
      NO_SAMPLE_DATA: 'true',
      LAKE_START_DATE: '2020-02-29',
      ALLOWED_APPS: 'game,game-beta',
    };
    expect(config([], env)).toEqual({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/data/lake',
      sampleData: false,
      lakeStartDate: '2020-02-29',
      allowedApps: new Set(['game', 'game-beta']),
    });
  });

  it('takes flags over environment variables', () => {
    const env = {
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/data/lake',
      NO_SAMPLE_DATA: '0',
      LAKE_START_DATE: '2020-02-29',
      ALLOWED_APPS: 'game',
    };
    const argv = [
      ...['--port', '4000', '--host', '::1', '--data-dir=/tmp/x', '--no-sample-data'],
      ...['--lake-start-date', '2024-01-01', '--allowed-apps', 'other'],
    ];
    expect(config(argv, env)).toEqual({
      port: 4000,
      host: '::1',
      dataDir: '/tmp/x',
      sampleData: false,
      lakeStartDate: '2024-01-01',
      allowedApps: new Set(['other']),
    });
  });

  it.each([
    ['1', false],
    ['yes', false],
    ['ON', false],
    ['false', true],
    ['no', true],
    ['', true],
  ])('reads NO_SAMPLE_DATA=%j as sample data %s', (value, sampleData) => {
    expect(config([], { NO_SAMPLE_DATA: value }).sampleData).toBe(sampleData);
  });

  it('accepts port 0 to listen on any free port', () => {
    expect(config(['--port', '0']).port).toBe(0);
  });

  it('asks for help', () => {
    expect(parseServerCommand(['--help'], { PORT: 'not even read' })).toEqual({ help: true });
  });

  it.each<[string[], NodeJS.ProcessEnv, string]>([
    [['--port', 'abc'], {}, '--port must be a whole number from 0 to 65535; got "abc"'],
    [['--port', '65536'], {}, '--port must be a whole number from 0 to 65535; got "65536"'],
    [['--port', '3000.5'], {}, '--port must be a whole number from 0 to 65535; got "3000.5"'],
    [[], { PORT: '-1' }, 'PORT must be a whole number from 0 to 65535; got "-1"'],
    [
      [],
      { NO_SAMPLE_DATA: 'maybe' },
      'NO_SAMPLE_DATA must be one of 1, true, yes, on, 0, false, no, off; got "maybe"',
    ],
    [['--data-dir', ''], {}, '--data-dir must not be empty'],
    [['--host', ' '], {}, '--host must not be empty'],
    [
      ['--lake-start-date', '2023-02-29'],
      {},
      '--lake-start-date must be a calendar day YYYY-MM-DD; got "2023-02-29"',
    ],
    [
      [],
      { LAKE_START_DATE: 'yesterday' },
      'LAKE_START_DATE must be a calendar day YYYY-MM-DD; got "yesterday"',
    ],
    [
      ['--allowed-apps', 'game, other'],
      {},
      '--allowed-apps must be app ids separated by commas, without spaces (an app id is 1 to 128 characters: letters, digits, "_", "." or "-", starting with a letter or digit); got "game, other"',
    ],
    [
      [],
      { ALLOWED_APPS: 'game,' },
      'ALLOWED_APPS must be app ids separated by commas, without spaces (an app id is 1 to 128 characters: letters, digits, "_", "." or "-", starting with a letter or digit); got "game,"',
    ],
  ])('rejects %j %j with a message naming the setting', (argv, env, message) => {
    expect(() => parseServerCommand(argv, env)).toThrow(new CliError(message));
  });

  it('rejects unknown flags and flags without their value, pointing to --help', () => {
    expect(() => parseServerCommand(['--prot', '3000'], {})).toThrow(/Unknown option '--prot'.*--help/);
    expect(() => parseServerCommand(['--port'], {})).toThrow(/--port.*argument missing.*--help/);
    expect(() => parseServerCommand(['--port'], {})).toThrow(CliError);
  });
});
