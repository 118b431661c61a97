import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../seeded-random.ts';
import type { FixtureDataset } from './types.ts';

/**
 * What the fixture sites serve: the hand-written files under test/fixtures/listings, or synthetic
 * records (seeded, so a volume run serves the same records every time).
 */

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/listings/', import.meta.url));

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(FIXTURES + path, 'utf8')) as T;
}

export function loadFixtureDataset(): FixtureDataset {
  const blackcat = readJson<{ feed: FixtureDataset['blackcatFeed']; timeline: FixtureDataset['blackcatTimeline'] }>(
    'blackcat/feed.json',
  );
  const jutousu = readJson<{ postList: FixtureDataset['jutousuPosts']; details: FixtureDataset['jutousuDetails'] }>(
    'jutousu/posts.json',
  );
  return {
    blackcatFeed: blackcat.feed,
    blackcatTimeline: blackcat.timeline,
    blackcatMerchants: readJson('blackcat/merchants.json'),
    samrRows: readJson<{ rows: FixtureDataset['samrRows'] }>('samr12315/rows.json').rows,
    jutousuPosts: jutousu.postList,
    jutousuDetails: jutousu.details,
    publishedCases: readJson<{ cases: FixtureDataset['publishedCases'] }>('weiquan/published-cases.json').cases,
  };
}

const SYNTHETIC_BUSINESSES = [
  '某某电子商务有限公司',
  '某某网络科技有限公司',
  '某某餐饮管理有限公司',
  '某某通信服务有限公司',
  '某某物流有限公司',
  '某某教育咨询有限公司',
  '某某旅行社有限公司',
  '某某家电销售有限公司',
];
const SYNTHETIC_RESULTS = ['调解成功', '调解成功', '调解成功', '调解不成功', '终止调解', '不予受理'];

/** Synthetic 12315 row `index` (0 = newest). */
export function syntheticSamrRow(index: number): Record<string, unknown> {
  const random = seededRandom(index + 1);
  const region = ['华东', '华南', '华北', '西南', '东北'][index % 5];
  const kind = SYNTHETIC_BUSINESSES[Math.floor(random() * SYNTHETIC_BUSINESSES.length)];
  const business = `${region}${kind.replace('某某', `第${Math.floor(random() ** 3 * 2000)}号`)}`;
  const end = Date.UTC(2026, 0, 20) - index * 37_000;
  const local = new Date(end + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  return {
    id: `SYN${String(index).padStart(9, '0')}`,
    entName: business,
    creditNo: '',
    entAddr: '某省某市某区',
    content: `消费者反映商品或服务问题（编号${index}），要求退款或赔偿。`,
    res: SYNTHETIC_RESULTS[Math.floor(random() * SYNTHETIC_RESULTS.length)],
    department: '某市市场监督管理局',
    endtime: local,
  };
}

export function syntheticBlackCatItem(index: number): Record<string, unknown> {
  const random = seededRandom(index + 7);
  const merchant = SYNTHETIC_BUSINESSES[Math.floor(random() * SYNTHETIC_BUSINESSES.length)];
  const sn = String(18000000000 + 1_000_000 - index);
  return {
    sn,
    title: `第${index}号投诉：退款迟迟未到账`,
    summary: '多次联系客服无果。',
    appeal: '退款',
    issue: '退款问题',
    cotitle: `<em>${merchant.replace('某某', `商家${Math.floor(random() ** 3 * 500)}`)}</em>`,
    couid: String(6000000000 + index),
    cost: String(Math.floor(random() * 5000)),
    timestamp: Math.floor(Date.UTC(2026, 0, 20) / 1000) - index * 60,
    status: [3, 4, 4, 6, 7, 7, 8][Math.floor(random() * 7)],
    url: `//tousu.sina.com.cn/complaint/view/${sn}/`,
    upvote_amount: 0,
    evaluate_u: { attitude: 0, process: 0, satisfaction: 0, evalContent: '' },
  };
}
