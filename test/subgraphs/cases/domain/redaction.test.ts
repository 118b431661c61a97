import fc from 'fast-check';
import {
  addressVariants,
  containsContactDetails,
  foldForMatching,
  givenName,
  maskName,
  scrubText,
} from '../../../../subgraphs/cases/domain/redaction.ts';

const person = { name: '张三丰', phone: '13800138000', email: 'zhang@example.com', address: '北京市朝阳区某某路1号' };

describe('redaction for publication', () => {
  test('a name becomes its first character and two stars', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('𠮷野家')).toBe('𠮷**');
  });

  test('phone numbers, e-mails, identity numbers, the address and the full name disappear from free text', () => {
    const text =
      '我是张三丰，电话 138-0013-8000 或 +8613900139000，座机010-12345678，邮箱 zhang@example.com，身份证110101199003071234，住北京市朝阳区某某路1号。';
    const scrubbed = scrubText(text, person);
    expect(scrubbed).not.toMatch(
      /张三丰|13800138000|138-0013-8000|13900139000|12345678|zhang@example\.com|110101199003071234|朝阳区/,
    );
    expect(scrubbed).toContain('张**');
    expect(containsContactDetails(scrubbed)).toBe(false);
  });

  test('the given name alone is removed as well as the full name', () => {
    expect(givenName('欧阳娜娜')).toBe('娜娜');
    expect(givenName('张三丰')).toBe('三丰');
    expect(givenName('李四')).toBeNull();
    expect(givenName('John Smith')).toBeNull();
    const scrubbed = scrubText('欧阳娜娜女士：娜娜您好，退款已处理。', {
      name: '欧阳娜娜',
      phone: null,
      email: null,
      address: null,
    });
    expect(scrubbed).toBe('欧**女士：**您好，退款已处理。');
  });

  test('a partial mention of the complainant’s address (without province, city or district) is removed too', () => {
    // An address no general street pattern recognises: only the variants of the one on file remove it.
    const who = { ...person, address: '北京市朝阳区望京SOHO塔1-1201' };
    expect(addressVariants(who.address)).toEqual(
      expect.arrayContaining(['朝阳区望京SOHO塔1-1201', '望京SOHO塔1-1201']),
    );
    const text = '快递寄到朝阳区望京SOHO塔1-1201后，又改寄望京SOHO塔1-1201，商家都说没收到。';
    expect(scrubText(text, { ...who, address: null })).toMatch(/望京SOHO/);
    const scrubbed = scrubText(text, who);
    expect(scrubbed).not.toMatch(/望京|SOHO|1201/);
    expect(scrubbed).toContain('商家都说没收到');
  });

  test('a street or compound address that is not the one on file is removed from free text as well', () => {
    const scrubbed = scrubText(
      '我现在住在杭州市西湖区文三路 90 号 2 单元 301 室，以前住阳光花园5栋2单元101室。退款未到账。',
      person,
    );
    expect(scrubbed).not.toMatch(/文三路|301|阳光花园|101室/);
    expect(scrubbed).toContain('退款未到账');
    expect(containsContactDetails(scrubbed)).toBe(false);
    expect(containsContactDetails('住在文三路90号')).toBe(true);
  });

  test('no mainland mobile survives scrubbing wherever it sits in the text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }),
        fc.stringMatching(/^1[3-9]\d{9}$/),
        fc.string({ maxLength: 20 }),
        (before, mobile, after) => {
          const scrubbed = scrubText(`${before} ${mobile} ${after}`, person);
          expect(scrubbed.includes(mobile)).toBe(false);
        },
      ),
    );
  });
});

/**
 * Issue 20.5: contacts typed in other widths, spacings and separators survived publication. The
 * generators below write one contact value in the shapes people use and embed it in text.
 */
describe('redaction of contacts however they are written', () => {
  const own = { name: '王小明', phone: '13811112222', email: 'xiaoming.wang@example.com', address: null };
  const filler = fc
    .array(fc.constantFrom(...'我的商家退款没有收到请联系客服，。：！'), { maxLength: 12 })
    .map((chars) => chars.join(''));
  const separator = fc.constantFrom('', ' ', '.', '-', '\u3000', '\uff0d', '—', '·', '\u200b', '／');
  const fullWidth = (text: string) =>
    text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x21 + 0xff01));
  const maybeFullWidth = (text: fc.Arbitrary<string>) =>
    fc.tuple(text, fc.boolean()).map(([value, wide]) => (wide ? fullWidth(value) : value));
  const digitsOf = (text: string) => foldForMatching(text).text.replace(/\D/g, '');

  const mobile = fc.stringMatching(/^1[3-9]\d{9}$/);
  const writtenMobile = fc
    .tuple(
      mobile,
      separator,
      separator,
      fc.constantFrom('3-4-4', '3-3-5', '(3)8', '3-8'),
      fc.constantFrom('', '+86', '+86 '),
    )
    .map(([number, a, b, shape, prefix]) => {
      const [head, mid, tail] = [number.slice(0, 3), number.slice(3, 7), number.slice(7)];
      const body =
        shape === '3-4-4'
          ? `${head}${a}${mid}${b}${tail}`
          : shape === '3-3-5'
            ? `${head}${a}${number.slice(3, 6)}${b}${number.slice(6)}`
            : shape === '(3)8'
              ? `(${head})${a}${number.slice(3)}`
              : `${head}${a}${number.slice(3)}`;
      return { number, written: prefix + body };
    });

  test('the issue’s examples leave no digit of the phone, no e-mail, no ID number and no spaced name', () => {
    const text = [
      '电话１３８１１１１２２２２',
      '或138.1111.2222、138-111-12222、(138)11112222',
      '邮箱ｘｉａｏｍｉｎｇ．ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ',
      '身份证１１０１０１１９９００３０７１２３４',
      '我是王 小 明，小 明还在等退款。',
    ].join('；');
    const scrubbed = scrubText(text, own);
    expect(digitsOf(scrubbed)).toBe('');
    expect(foldForMatching(scrubbed).text).not.toMatch(/@|xiaoming|王\s*小|小\s*明/);
    expect(scrubbed).toContain('王**');
    expect(scrubbed).toContain('还在等退款。'); // the rest stays as written, full-width punctuation included
  });

  test('no mobile survives in any width, grouping, separator or with +86', () => {
    fc.assert(
      fc.property(filler, maybeFullWidth(writtenMobile.map((m) => m.written)), filler, (before, written, after) => {
        const number = digitsOf(written).replace(/^86(?=1\d{10}$)/, '');
        expect(digitsOf(scrubText(`${before}${written}${after}`, own))).not.toContain(number);
      }),
    );
  });

  test('the complainant’s own phone goes in any spacing, even one no phone pattern expects', () => {
    fc.assert(
      fc.property(filler, fc.array(separator, { minLength: 10, maxLength: 10 }), filler, (before, gaps, after) => {
        const written = Array.from(own.phone, (digit, i) => digit + (gaps[i] ?? '')).join('');
        expect(digitsOf(scrubText(`${before}${written}${after}`, own))).not.toContain(own.phone);
      }),
    );
  });

  test('no e-mail address survives, in either width or with spaces around @', () => {
    const email = fc
      .tuple(
        fc.stringMatching(/^[a-z][a-z0-9._]{0,9}$/),
        fc.constantFrom('@', ' @ ', '@ '),
        fc.stringMatching(/^[a-z]{2,8}\.(com|cn|net)$/),
      )
      .map(([local, at, domain]) => `${local}${at}${domain}`);
    fc.assert(
      fc.property(filler, maybeFullWidth(email), filler, (before, written, after) => {
        expect(foldForMatching(scrubText(`${before}${written}${after}`, own)).text).not.toContain('@');
      }),
    );
  });

  test('no identity card number survives, in either width, grouped or not', () => {
    const idNumber = fc
      .tuple(fc.stringMatching(/^\d{17}[\dX]$/), separator)
      .map(([id, gap]) => ({ id, written: `${id.slice(0, 6)}${gap}${id.slice(6, 14)}${gap}${id.slice(14)}` }));
    fc.assert(
      fc.property(filler, idNumber, fc.boolean(), filler, (before, { id, written }, wide, after) => {
        const scrubbed = scrubText(`${before}${wide ? fullWidth(written) : written}${after}`, own);
        expect(digitsOf(scrubbed)).not.toContain(id.slice(0, 17));
      }),
    );
  });

  test('the complainant’s name goes however it is spaced, and its given name too', () => {
    const name = fc
      .array(fc.constantFrom(...'王小明欧阳娜张三丰李'), { minLength: 2, maxLength: 4 })
      .map((c) => c.join(''));
    const nameSeparator = fc.constantFrom('', ' ', '\u3000', '·', ' \u200b');
    fc.assert(
      fc.property(filler, name, nameSeparator, filler, (before, complainantName, gap, after) => {
        const written = Array.from(complainantName).join(gap);
        const who = { name: complainantName, phone: null, email: null, address: null };
        const scrubbed = foldForMatching(scrubText(`${before}${written}${after}`, who)).text;
        expect(scrubbed.replace(/[\s·]/g, '')).not.toContain(complainantName);
      }),
    );
  });
});
