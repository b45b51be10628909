import * as assert from 'node:assert/strict';
import { apiRoute, isSnowflake } from '../../../src/core/discord';

describe('snowflakes and the routes built from them', () => {
  it('accepts 17 to 20 digit ids up to 2^64-1 and nothing else', () => {
    for (const id of ['80351110224678912', '849441091449913344', '18446744073709551615']) assert.ok(isSnowflake(id), id);
    for (const id of ['18446744073709551616', '0849441091449913344', '1234567890123456', ' 849441091449913344', '849441091449913344\n', '../members/1', '8.49e17', '']) {
      assert.ok(!isSnowflake(id), JSON.stringify(id));
    }
    assert.ok(!isSnowflake(849441091449913344), 'a number (it lost its last digits already)');
  });

  it('builds a route only from snowflakes: a path in an id is refused, naming it, before any request', () => {
    assert.equal(apiRoute`/guilds/${'849441091449913344'}/bans/${'849441091449913345'}`, '/guilds/849441091449913344/bans/849441091449913345');
    assert.throws(
      () => apiRoute`/guilds/${'849441091449913344'}/bans/${'../members/849441091449913345/roles/849441091449913346'}`,
      (error: { code: string; message: string }) => error.code === 'INVALID_ARGUMENT' && error.message.startsWith('Refused to send a request: "../members/'),
    );
    assert.throws(() => apiRoute`/channels/${undefined}`, /"undefined" is not a Discord id/);
  });
});
