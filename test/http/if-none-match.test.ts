import { ifNoneMatchNames } from '../../lambdas/http/if-none-match';

const ETAG = '"NZlD0PkRzp7HPHoFD9lsjslZAoC"';

describe('ifNoneMatchNames (RFC 9110 §13.1.2)', () => {
  it.each([
    ['the tag itself', ETAG],
    ['the tag among others', `"older", ${ETAG}, "newer"`],
    ['the tag without spaces in the list', `"older",${ETAG}`],
    ['the tag weakened by a proxy', `W/${ETAG}`],
    ['any current answer', '*'],
  ])('names the answer: %s', (_, header) => {
    expect(ifNoneMatchNames(header, ETAG)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another tag', '"older"'],
    ['other tags, one weak', '"older", W/"other"'],
    ['the opaque value unquoted', ETAG.slice(1, -1)],
    ['a tag that only starts like it', `${ETAG.slice(0, -2)}"`],
    ['a tag with a comma inside', `"${ETAG.slice(1, -1)},x"`],
  ])('does not name it: %s', (_, header) => {
    expect(ifNoneMatchNames(header, ETAG)).toBe(false);
  });
});
