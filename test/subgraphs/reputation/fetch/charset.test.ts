import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as cheerio from 'cheerio';
import { charsetFromContentType, charsetFromMeta, decodeBody } from '../../../../subgraphs/reputation/fetch/charset.ts';
import { createFetcher, type Fetcher } from '../../../../subgraphs/reputation/fetch/fetcher.ts';

/** Real GBK and GB18030 bytes (written with Python's codecs; see the comments inside the files). */
const gbkFixture = (name: string) => readFileSync(new URL(`../../../fixtures/listings/gbk/${name}`, import.meta.url));
const gbkPage = gbkFixture('detail-gb2312-meta.html.gbk');
const gb18030Page = gbkFixture('detail-gb18030-meta.html.gb18030');
// "投诉" in GBK, byte for byte.
const TOUSU_GBK = Buffer.from([0xcd, 0xb6, 0xcb, 0xdf]);

let server: Server;
let base: string;
let fetcher: Fetcher;
const routes: Record<string, { type: string | null; body: Buffer }> = {
  '/gbk-header': { type: 'text/html; charset=GBK', body: Buffer.concat([Buffer.from('<p>'), TOUSU_GBK]) },
  '/gbk-meta': { type: 'text/html', body: gbkPage },
  '/gbk-meta-no-type': { type: null, body: gbkPage },
  '/gb18030-meta': { type: 'text/html', body: gb18030Page },
  '/utf8': { type: 'application/json', body: Buffer.from('{"name":"黑猫投诉"}') },
};
beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (!route) return void res.writeHead(404).end();
    res.writeHead(200, route.type ? { 'content-type': route.type } : {}).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fetcher = createFetcher({ userAgent: 'WeiquanBot/0.1 (+test)', minTimeMs: 0, retries: 0 });
});
afterAll(async () => {
  await fetcher.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function text(path: string): Promise<string> {
  const result = await fetcher.fetch({ url: base + path });
  if (result.notModified) throw new Error('unexpected 304');
  return result.body;
}

test('a GBK body declared by the Content-Type header is decoded, not turned into U+FFFD', async () => {
  expect(await text('/gbk-header')).toBe('<p>投诉');
});

test('a GB2312/GBK page declared only by its meta element is decoded; the merchant name survives', async () => {
  for (const path of ['/gbk-meta', '/gbk-meta-no-type']) {
    const $ = cheerio.load(await text(path));
    expect($('title').text()).toBe('投诉详情');
    expect($('p.company').text()).toBe('某某电子商务有限公司');
    expect($('p.issue').text()).toBe('退款问题：商家拒绝退还货款￥199元');
  }
});

test('GB18030 four-byte characters outside GBK decode too', async () => {
  const $ = cheerio.load(await text('/gb18030-meta'));
  expect($('p.company').text()).toBe('𠮷野家餐饮管理有限公司');
  expect($('p.issue').text()).toBe('价格€');
});

test('JSON without a charset stays UTF-8', async () => {
  expect(JSON.parse(await text('/utf8'))).toEqual({ name: '黑猫投诉' });
});

test(
  'where the charset comes from: BOM, then header, then ' + 'meta, else UTF-8; an unknown label falls back and says so',
  () => {
    expect(charsetFromContentType('text/html; charset="gb2312"')).toBe('gb2312');
    expect(charsetFromContentType('text/html')).toBeNull();
    expect(charsetFromMeta(Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=GBK">'))).toBe(
      'GBK',
    );
    expect(charsetFromMeta(Buffer.from("<meta charset='gb18030'>"))).toBe('gb18030');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('投诉')]);
    expect(decodeBody(bom, 'text/html; charset=gbk')).toEqual({ text: '投诉', charset: 'utf-8', source: 'bom' });
    expect(decodeBody(TOUSU_GBK, 'text/plain; charset=gbk')).toEqual({
      text: '投诉',
      charset: 'gbk',
      source: 'header',
    });
    expect(decodeBody(gbkPage, 'text/html')).toMatchObject({ charset: 'gbk', source: 'meta' });
    expect(decodeBody(Buffer.from('abc'), 'text/html; charset=x-klingon')).toEqual({
      text: 'abc',
      charset: 'utf-8',
      source: 'unknown-label',
    });
  },
);
