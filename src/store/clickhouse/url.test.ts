import { describe, expect, it } from 'vitest';
import { UserError } from '../../util/errors.js';
import { parseClickHouseUrl, redact } from './url.js';

describe('clickhouse:// store URLs', () => {
  it('reads user, password, host, port, database, cluster and shards', () => {
    expect(parseClickHouseUrl('clickhouse://default@127.0.0.1:8123/tradescope?cluster=trade', {})).toEqual({
      url: 'http://127.0.0.1:8123',
      username: 'default',
      password: '',
      database: 'tradescope',
      cluster: 'trade',
    });
    expect(
      parseClickHouseUrl('clickhouse://ts:p%40ss@ch.example.org/trade?cluster=c2&shards=a:8123,b:9123&secure=1', {}),
    ).toEqual({
      url: 'https://ch.example.org:8443',
      username: 'ts',
      password: 'p@ss',
      database: 'trade',
      cluster: 'c2',
      shards: ['https://a:8123', 'https://b:9123'],
    });
    expect(parseClickHouseUrl('clickhouse://u@h:1/d', { TRADESCOPE_CLICKHOUSE_PASSWORD: 'x' }).password).toBe('x');
    expect(parseClickHouseUrl('clickhouse://h', {}).database).toBe('tradescope');
  });

  it('rejects bad parts with a message naming them', () => {
    expect(() => parseClickHouseUrl('clickhouse://u@h:8123/bad-name', {})).toThrow(/database name/);
    expect(() => parseClickHouseUrl('clickhouse://u@h:8123/db?cluster=x;y', {})).toThrow(/cluster name/);
    expect(() => parseClickHouseUrl('clickhouse://u@h:8123/db?shards=a:1', {})).toThrow(/shards= needs cluster=/);
    expect(() => parseClickHouseUrl('clickhouse://u@h:8123/db?cluster=c&shards=a', {})).toThrow(/host:httpPort/);
    expect(() => parseClickHouseUrl('clickhouse://u@h:8123/db?replicas=2', {})).toThrow(UserError);
  });

  it('never shows the password', () => {
    expect(redact('clickhouse://ts:secret@h:8123/db')).toBe('clickhouse://ts:***@h:8123/db');
  });
});
