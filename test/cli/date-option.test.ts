import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { date } from '../../src/cli/options.js';
import { parseTimeText } from '../../src/data/timestamps.js';

const FEB2 = Date.UTC(2026, 1, 2);

describe('--as-of and other date flags', () => {
  it('read ISO-8601 as event timestamps are: no offset means UTC, offsets and fractions applied', () => {
    expect(date('2026-02-02')).toBe(FEB2);
    expect(date('2026-02-02T06:30')).toBe(FEB2 + 6.5 * 3600e3);
    expect(date('2026-02-02 06:30:15')).toBe(FEB2 + (6.5 * 3600 + 15) * 1e3);
    expect(date('2026-02-02T06:30:15.250Z')).toBe(FEB2 + (6.5 * 3600 + 15) * 1e3 + 250);
    expect(date('2026-02-02T07:30+01:00')).toBe(FEB2 + 6.5 * 3600e3);
    expect(date(' 2026-02-02 ')).toBe(FEB2);
  });

  it('do not depend on the machine\'s time zone', () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Pacific/Auckland';
    try {
      expect(new Date(2026, 1, 2).getTimezoneOffset()).not.toBe(0); // the zone took effect
      expect(date('2026-02-02T06:30')).toBe(FEB2 + 6.5 * 3600e3);
      expect(date('2026-02-02')).toBe(FEB2);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('read digits as epoch seconds or milliseconds by their magnitude', () => {
    expect(date(String(FEB2 / 1000))).toBe(FEB2);
    expect(date(String(FEB2))).toBe(FEB2);
    expect(parseTimeText(String(FEB2 * 1000))).toBe(FEB2);
  });

  it('refuse impossible dates, other spellings and times before 2000, naming the value', () => {
    for (const bad of ['2026-02-31', '2026-13-01', '2026-02-02T24:00', 'next week', '02/02/2026', 'Feb 2 2026', '', '2026-02-02T06:00:00 PST']) {
      expect(() => date(bad)).toThrow(InvalidArgumentError);
      expect(() => date(bad)).toThrow(`got '${bad}'`);
    }
    // Eight digits meant as a calendar date read as seconds in 1970: refused, with what they read as.
    expect(() => date('20260202')).toThrow("'20260202' reads as 1970-08-23T11:50:02.000Z, before 2000");
    // An ISO date before 2000 is meant (a log that old sets --min-date too); before 1970 it is not.
    expect(date('1999-12-31T23:59:59Z')).toBe(Date.UTC(2000, 0, 1) - 1000);
    expect(() => date('1969-12-31')).toThrow('before 1970');
    expect(() => date('946684799')).toThrow('before 2000');
  });
});
