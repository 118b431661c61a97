import fc from 'fast-check';
import { ListingStatus } from '../../../../subgraphs/reputation/domain/listing.ts';
import {
  blackCatStatus,
  canonicalJson,
  cleanText,
  hashRaw,
  jutousuStatus,
  parseAmount,
  parseSatisfaction,
  parseTime,
  samrStatus,
  weiquanStatus,
} from '../../../../subgraphs/reputation/domain/normalise.ts';

test('Black Cat status codes 3/4/6/7/8 map to the common enum, anything else to UNKNOWN', () => {
  expect(['3', '4', '6', '7', '8', '5', ''].map(blackCatStatus)).toEqual([
    ListingStatus.Pending,
    ListingStatus.InProgress,
    ListingStatus.Replied,
    ListingStatus.Completed,
    ListingStatus.Closed,
    ListingStatus.Unknown,
    ListingStatus.Unknown,
  ]);
});

test('12315 results: success is COMPLETED, failure, termination and refusal are CLOSED', () => {
  expect(['调解成功', '调解不成功', '终止调解', '不予受理', '撤销', '？'].map(samrStatus)).toEqual([
    ListingStatus.Completed,
    ListingStatus.Closed,
    ListingStatus.Closed,
    ListingStatus.Closed,
    ListingStatus.Closed,
    ListingStatus.Unknown,
  ]);
});

test('21CN labels and our own case outcomes map to the common enum', () => {
  expect(['已完成', '已回复', '处理中', '待处理', '已关闭', '其他'].map(jutousuStatus)).toEqual([
    ListingStatus.Completed,
    ListingStatus.Replied,
    ListingStatus.InProgress,
    ListingStatus.Pending,
    ListingStatus.Closed,
    ListingStatus.Unknown,
  ]);
  expect(['RESOLVED', 'UNRESOLVED', 'REJECTED', 'WITHDRAWN', 'X'].map(weiquanStatus)).toEqual([
    ListingStatus.Completed,
    ListingStatus.Closed,
    ListingStatus.Closed,
    ListingStatus.Closed,
    ListingStatus.Unknown,
  ]);
});

test('amounts read currency marks, full-width digits and thousands separators, and reject the rest', () => {
  expect(parseAmount('1,299.00元')).toBe(1299);
  expect(parseAmount('￥８８')).toBe(88);
  expect(parseAmount(56)).toBe(56);
  expect(parseAmount('')).toBeNull();
  expect(parseAmount('约100')).toBeNull();
  expect(parseAmount(-5)).toBeNull();
});

test('times read epoch seconds, epoch ms, ISO with offset and China local dates; implausible ones are null', () => {
  expect(parseTime(1767571200)).toBe(Date.UTC(2026, 0, 5));
  expect(parseTime('1767571200000')).toBe(Date.UTC(2026, 0, 5));
  expect(parseTime('2026-01-05T09:00:00+08:00')).toBe(Date.UTC(2026, 0, 5, 1));
  expect(parseTime('2026-01-05 08:30')).toBe(Date.UTC(2026, 0, 5, 0, 30));
  expect(parseTime('2026年1月5日')).toBe(Date.UTC(2026, 0, 4, 16));
  expect(parseTime('2026-13-45')).toBeNull();
  expect(parseTime('2026-02-30')).toBeNull();
  expect(parseTime('昨天')).toBeNull();
  expect(parseTime(12)).toBeNull();
});

test('satisfaction is 1..5 or null', () => {
  expect([5, '4', 0, 6, 'x', null].map(parseSatisfaction)).toEqual([5, 4, null, null, null, null]);
});

test('cleanText removes tags and entities and returns null for nothing', () => {
  expect(cleanText('<em>京东</em>&amp;自营 ')).toBe('京东&自营');
  expect(cleanText('<b></b>')).toBeNull();
  expect(cleanText(undefined)).toBeNull();
});

test('the raw hash does not depend on key order and changes with any value', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
      const reversed = Object.fromEntries(Object.entries(object).reverse());
      expect(hashRaw(reversed)).toBe(hashRaw(object));
      expect(JSON.parse(canonicalJson(object))).toEqual(JSON.parse(JSON.stringify(object)));
    }),
  );
  expect(hashRaw({ status: 6 })).not.toBe(hashRaw({ status: 7 }));
});
