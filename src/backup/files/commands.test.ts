import { describe, expect, it } from 'vitest';
import { tarCreateCommand, tarExtractCommand, tarListCommand } from './commands.js';

describe('tar commands', () => {
  it('archives paths relative to the plan folder to stdout, paths after --', () => {
    expect(tarCreateCommand('/srv/app', ['.env', 'config'])).toEqual({
      argv: ['tar', '--create', '--gzip', '--file=-', '--directory=/srv/app', '--', '.env', 'config'],
      env: {},
    });
  });

  it('lists an archive file and extracts one from stdin into the plan folder', () => {
    expect(tarListCommand('/b/config.tar.gz').argv).toEqual([
      'tar',
      '--list',
      '--gzip',
      '--file=/b/config.tar.gz',
    ]);
    expect(tarExtractCommand('/srv/app').argv).toEqual([
      'tar',
      '--extract',
      '--gzip',
      '--file=-',
      '--directory=/srv/app',
    ]);
  });
});
