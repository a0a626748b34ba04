import { parseAppMap } from '../../lambdas/import/app-map';

describe('--app-map', () => {
  it('maps old app ids to new ones', () => {
    expect([...parseAppMap(['0123456789abcdef0123456789abcdef=my-game', 'legacy.app=b'])]).toEqual([
      ['0123456789abcdef0123456789abcdef', 'my-game'],
      ['legacy.app', 'b'],
    ]);
  });

  it.each([
    ['no equals sign', 'old', /must be old=new/],
    ['an empty new id', 'old=', /must be old=new/],
    ['an empty old id', '=new', /must be old=new/],
    ['a new id that cannot name a lake folder', 'old=my/app', /the new app id must be 1 to 128 characters/],
  ])('refuses %s, naming the pair', (_name, pair, message) => {
    expect(() => parseAppMap([pair])).toThrow(message);
  });

  it('refuses the same old id twice', () => {
    expect(() => parseAppMap(['a=b', 'a=c'])).toThrow('--app-map gives "a" twice');
  });
});
