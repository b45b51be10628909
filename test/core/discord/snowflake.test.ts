import * as assert from 'node:assert/strict';
import { compareSnowflakes, isSnowflake, maxSnowflake, minSnowflake, snowflakeAt, snowflakeTime, SNOWFLAKE_PATTERN } from '../../../src/core/discord';

describe('snowflakes: the one rule for Discord ids', () => {
  it("accepts Discord's ids: 17 to 20 digits, no leading zero, at most 2^64-1", () => {
    for (const id of ['10000000000000000', '80351110224678912', '849441091449913344', '9999999999999999999', '18446744073709551615']) assert.ok(isSnowflake(id), id);
    const refused = [
      '1234567890123456', // 16 digits: a 2015 id is already 17
      '999999999999999', // 15 digits, which the old /^\d{15,21}$/ copies let through
      '100000000000000000000', // 21 digits
      '18446744073709551616', // 2^64
      '99999999999999999999', // 20 digits but over 2^64-1
      '0849441091449913344', // a leading zero: the same number spelled twice would be two folders, two keys
      '0',
      '-849441091449913344',
      '+849441091449913344',
      '849441091449913344 ',
      '849441091449913344\n',
      '８４９４４１０９１４４９９１３３４４', // full-width digits are not ASCII digits
      '8.49441091449913344e17',
      '../849441091449913344',
      '',
    ];
    for (const id of refused) assert.ok(!isSnowflake(id), JSON.stringify(id));
  });

  it('refuses anything that is not a string, even when it would print as an id', () => {
    for (const value of [849441091449913344, 849441091449913344n, null, undefined, {}, ['849441091449913344'], { toString: () => '849441091449913344' }]) {
      assert.ok(!isSnowflake(value), String(value));
    }
  });

  it('orders ids as numbers, not as text, and agrees with BigInt on every pair', () => {
    assert.ok(compareSnowflakes('9999999999999999999', '10000000000000000000') < 0, 'shorter is older although "9" > "1" as text');
    assert.equal(compareSnowflakes('849441091449913344', '849441091449913344'), 0);
    const ids = ['80351110224678912', '849441091449913344', '849441091449913345', '1049441091449913344', '18446744073709551615', '0', snowflakeAt(Date.UTC(2020, 0, 1))];
    for (const a of ids) {
      for (const b of ids) {
        const expected = Math.sign(Number(BigInt(a) - BigInt(b)));
        assert.equal(Math.sign(compareSnowflakes(a, b)), expected, `${a} vs ${b}`);
      }
    }
    assert.deepEqual(['1049441091449913344', '80351110224678912', '849441091449913344'].sort(compareSnowflakes), ['80351110224678912', '849441091449913344', '1049441091449913344']);
    assert.equal(minSnowflake('1049441091449913344', '849441091449913344'), '849441091449913344');
    assert.equal(maxSnowflake('1049441091449913344', '849441091449913344'), '1049441091449913344');
  });

  it('reads and makes the creation time in an id', () => {
    const at = Date.UTC(2024, 4, 1, 12, 30);
    assert.equal(snowflakeTime(snowflakeAt(at)), at);
    assert.equal(snowflakeTime('175928847299117063'), Date.parse('2016-04-30T11:18:25.796Z'), "the example in Discord's documentation");
    assert.equal(snowflakeAt(Date.UTC(2014, 0, 1)), '0', 'before Discord existed');
    assert.ok(isSnowflake(snowflakeAt(at)));
  });

  it('gives the same digit rule to regexes that find ids inside text', () => {
    const mention = new RegExp(`<@(${SNOWFLAKE_PATTERN})>`, 'g');
    const found = [...'<@849441091449913344> <@1234567890123456> <@100000000000000000000> <@0849441091449913344>'.matchAll(mention)].map((m) => m[1]);
    assert.deepEqual(found, ['849441091449913344'], 'only the real id; 16 digits, 21 digits and a padded one are not mentions');
    assert.ok(!new RegExp(SNOWFLAKE_PATTERN).test('(abc)'), 'a fragment without groups or anchors, so it embeds anywhere');
    assert.equal(new RegExp(`^(${SNOWFLAKE_PATTERN})$`).exec('18446744073709551615')?.[1], '18446744073709551615');
  });
});
