import fc from 'fast-check';
import {
  addressVariants,
  containsContactDetails,
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
