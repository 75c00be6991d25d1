/**
 * HTML character references: named (the HTML 4 set plus common HTML 5 names), decimal and
 * hexadecimal. Follows the WHATWG rules where they matter for text extraction: the legacy
 * Latin-1 names also match without a trailing ';' (`&copy 2024`), numeric references to 0,
 * surrogates or beyond U+10FFFF become U+FFFD, and 0x80–0x9F map through Windows-1252.
 * Unknown names are left as written.
 */

/* prettier-ignore */
const NAMED: Readonly<Record<string, string>> = {
  AElig:'\u{c6}',Aacute:'\u{c1}',Acirc:'\u{c2}',Agrave:'\u{c0}',Alpha:'\u{391}',Aring:'\u{c5}',Atilde:'\u{c3}',
  Auml:'\u{c4}',Beta:'\u{392}',Ccedil:'\u{c7}',Chi:'\u{3a7}',Dagger:'\u{2021}',Delta:'\u{394}',
  DoubleRightArrow:'\u{21d2}',ETH:'\u{d0}',Eacute:'\u{c9}',Ecirc:'\u{ca}',Egrave:'\u{c8}',Epsilon:'\u{395}',
  Eta:'\u{397}',Euml:'\u{cb}',Gamma:'\u{393}',Hat:'^',Iacute:'\u{cd}',Icirc:'\u{ce}',Igrave:'\u{cc}',
  Iota:'\u{399}',Iuml:'\u{cf}',Kappa:'\u{39a}',Lambda:'\u{39b}',Mu:'\u{39c}',NewLine:'\u{a}',Ntilde:'\u{d1}',
  Nu:'\u{39d}',OElig:'\u{152}',Oacute:'\u{d3}',Ocirc:'\u{d4}',Ograve:'\u{d2}',Omega:'\u{3a9}',Omicron:'\u{39f}',
  Oslash:'\u{d8}',Otilde:'\u{d5}',Ouml:'\u{d6}',Phi:'\u{3a6}',Pi:'\u{3a0}',Prime:'\u{2033}',Psi:'\u{3a8}',
  Rho:'\u{3a1}',Scaron:'\u{160}',Sigma:'\u{3a3}',THORN:'\u{de}',Tab:'\u{9}',Tau:'\u{3a4}',Theta:'\u{398}',
  Uacute:'\u{da}',Ucirc:'\u{db}',Ugrave:'\u{d9}',Upsilon:'\u{3a5}',Uuml:'\u{dc}',Xi:'\u{39e}',Yacute:'\u{dd}',
  Yuml:'\u{178}',ZeroWidthSpace:'\u{200b}',Zeta:'\u{396}',aacute:'\u{e1}',acirc:'\u{e2}',acute:'\u{b4}',
  aelig:'\u{e6}',agrave:'\u{e0}',alefsym:'\u{2135}',alpha:'\u{3b1}',amp:'&',and:'\u{2227}',ang:'\u{2220}',
  apos:'\u{27}',approx:'\u{2248}',aring:'\u{e5}',ast:'*',asymp:'\u{2248}',atilde:'\u{e3}',auml:'\u{e4}',
  bdquo:'\u{201e}',beta:'\u{3b2}',bigstar:'\u{2605}',blacksquare:'\u{25aa}',brvbar:'\u{a6}',bsol:'\u{5c}',
  bull:'\u{2022}',cap:'\u{2229}',caret:'\u{2041}',ccedil:'\u{e7}',cedil:'\u{b8}',cent:'\u{a2}',
  centerdot:'\u{b7}',check:'\u{2713}',checkmark:'\u{2713}',chi:'\u{3c7}',circ:'\u{2c6}',clubs:'\u{2663}',
  colon:':',comma:',',commat:'@',cong:'\u{2245}',copy:'\u{a9}',crarr:'\u{21b5}',cross:'\u{2717}',cup:'\u{222a}',
  curren:'\u{a4}',dArr:'\u{21d3}',dagger:'\u{2020}',darr:'\u{2193}',dash:'\u{2010}',deg:'\u{b0}',
  delta:'\u{3b4}',diams:'\u{2666}',divide:'\u{f7}',dollar:'$',downarrow:'\u{2193}',eacute:'\u{e9}',
  ecirc:'\u{ea}',egrave:'\u{e8}',empty:'\u{2205}',emsp:'\u{2003}',emsp13:'\u{2004}',emsp14:'\u{2005}',
  ensp:'\u{2002}',epsilon:'\u{3b5}',equals:'=',equiv:'\u{2261}',eta:'\u{3b7}',eth:'\u{f0}',euml:'\u{eb}',
  euro:'\u{20ac}',excl:'!',exist:'\u{2203}',female:'\u{2640}',flat:'\u{266d}',fnof:'\u{192}',forall:'\u{2200}',
  frac12:'\u{bd}',frac14:'\u{bc}',frac34:'\u{be}',frasl:'\u{2044}',gamma:'\u{3b3}',ge:'\u{2265}',grave:'`',
  gt:'>',hArr:'\u{21d4}',hairsp:'\u{200a}',half:'\u{bd}',harr:'\u{2194}',hearts:'\u{2665}',hellip:'\u{2026}',
  hyphen:'\u{2010}',iacute:'\u{ed}',icirc:'\u{ee}',iexcl:'\u{a1}',igrave:'\u{ec}',image:'\u{2111}',
  infin:'\u{221e}',int:'\u{222b}',iota:'\u{3b9}',iquest:'\u{bf}',isin:'\u{2208}',iuml:'\u{ef}',kappa:'\u{3ba}',
  lArr:'\u{21d0}',lambda:'\u{3bb}',lang:'\u{2329}',laquo:'\u{ab}',larr:'\u{2190}',lceil:'\u{2308}',lcub:'{',
  ldquo:'\u{201c}',le:'\u{2264}',leftarrow:'\u{2190}',lfloor:'\u{230a}',lowast:'\u{2217}',lowbar:'_',
  loz:'\u{25ca}',lpar:'(',lrm:'\u{200e}',lsaquo:'\u{2039}',lsqb:'[',lsquo:'\u{2018}',lt:'<',macr:'\u{af}',
  male:'\u{2642}',mdash:'\u{2014}',micro:'\u{b5}',middot:'\u{b7}',minus:'\u{2212}',mldr:'\u{2026}',mu:'\u{3bc}',
  nabla:'\u{2207}',natural:'\u{266e}',nbsp:'\u{a0}',ndash:'\u{2013}',ne:'\u{2260}',ni:'\u{220b}',
  nldr:'\u{2025}',not:'\u{ac}',notin:'\u{2209}',nsub:'\u{2284}',ntilde:'\u{f1}',nu:'\u{3bd}',num:'#',
  numsp:'\u{2007}',oacute:'\u{f3}',ocirc:'\u{f4}',oelig:'\u{153}',ograve:'\u{f2}',ohm:'\u{3a9}',
  oline:'\u{203e}',omega:'\u{3c9}',omicron:'\u{3bf}',oplus:'\u{2295}',or:'\u{2228}',ordf:'\u{aa}',ordm:'\u{ba}',
  oslash:'\u{f8}',otilde:'\u{f5}',otimes:'\u{2297}',ouml:'\u{f6}',para:'\u{b6}',part:'\u{2202}',percnt:'%',
  period:'.',permil:'\u{2030}',perp:'\u{22a5}',phi:'\u{3c6}',phone:'\u{260e}',pi:'\u{3c0}',piv:'\u{3d6}',
  plus:'+',plusmn:'\u{b1}',pound:'\u{a3}',prime:'\u{2032}',prod:'\u{220f}',prop:'\u{221d}',psi:'\u{3c8}',
  puncsp:'\u{2008}',quest:'?',quot:'"',rArr:'\u{21d2}',radic:'\u{221a}',rang:'\u{232a}',raquo:'\u{bb}',
  rarr:'\u{2192}',rceil:'\u{2309}',rcub:'}',rdquo:'\u{201d}',real:'\u{211c}',reg:'\u{ae}',rfloor:'\u{230b}',
  rho:'\u{3c1}',rightarrow:'\u{2192}',rlm:'\u{200f}',rpar:')',rsaquo:'\u{203a}',rsqb:']',rsquo:'\u{2019}',
  sbquo:'\u{201a}',scaron:'\u{161}',sdot:'\u{22c5}',sect:'\u{a7}',semi:';',sharp:'\u{266f}',shy:'\u{ad}',
  sigma:'\u{3c3}',sigmaf:'\u{3c2}',sim:'\u{223c}',sol:'/',spades:'\u{2660}',squ:'\u{25a1}',square:'\u{25a1}',
  star:'\u{2606}',starf:'\u{2605}',sub:'\u{2282}',sube:'\u{2286}',sum:'\u{2211}',sup:'\u{2283}',sup1:'\u{b9}',
  sup2:'\u{b2}',sup3:'\u{b3}',supe:'\u{2287}',szlig:'\u{df}',tau:'\u{3c4}',there4:'\u{2234}',theta:'\u{3b8}',
  thetasym:'\u{3d1}',thinsp:'\u{2009}',thorn:'\u{fe}',tilde:'\u{2dc}',times:'\u{d7}',trade:'\u{2122}',
  uArr:'\u{21d1}',uacute:'\u{fa}',uarr:'\u{2191}',ucirc:'\u{fb}',ugrave:'\u{f9}',uml:'\u{a8}',
  uparrow:'\u{2191}',upsih:'\u{3d2}',upsilon:'\u{3c5}',uuml:'\u{fc}',verbar:'|',vert:'|',weierp:'\u{2118}',
  xi:'\u{3be}',yacute:'\u{fd}',yen:'\u{a5}',yuml:'\u{ff}',zeta:'\u{3b6}',zwj:'\u{200d}',zwnj:'\u{200c}',
  AMP:'&',COPY:'\u{a9}',GT:'>',LT:'<',QUOT:'"',REG:'\u{ae}',
};

/** Names the HTML standard also accepts without the trailing ';'. */
const LEGACY = new Set(
  'AElig AMP Aacute Acirc Agrave Aring Atilde Auml COPY Ccedil ETH Eacute Ecirc Egrave Euml GT Iacute Icirc Igrave Iuml LT Ntilde Oacute Ocirc Ograve Oslash Otilde Ouml QUOT REG THORN Uacute Ucirc Ugrave Uuml Yacute aacute acirc acute aelig agrave amp aring atilde auml brvbar ccedil cedil cent copy curren deg divide eacute ecirc egrave eth euml frac12 frac14 frac34 gt iacute icirc iexcl igrave iquest iuml laquo lt macr micro middot nbsp not ntilde oacute ocirc ograve ordf ordm oslash otilde ouml para plusmn pound quot raquo reg sect shy sup1 sup2 sup3 szlig thorn times uacute ucirc ugrave uml uuml yacute yen yuml'.split(' '),
);

/** Windows-1252 meanings of the C1 range 0x80–0x9F, as browsers decode `&#128;` etc. */
/* prettier-ignore */
const C1 = [0x20ac,0x81,0x201a,0x192,0x201e,0x2026,0x2020,0x2021,0x2c6,0x2030,0x160,0x2039,0x152,0x8d,0x17d,0x8f,
  0x90,0x2018,0x2019,0x201c,0x201d,0x2022,0x2013,0x2014,0x2dc,0x2122,0x161,0x203a,0x153,0x9d,0x17e,0x178];

function fromCodePoint(cp: number): string {
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
  if (cp >= 0x80 && cp <= 0x9f) return String.fromCharCode(C1[cp - 0x80]);
  return String.fromCodePoint(cp);
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Decodes character references in `s`. `inAttribute` applies the attribute-value rule: a
 * legacy name without ';' followed by an alphanumeric or '=' is not a reference (`?a=1&copy=2`).
 */
export function decodeEntities(s: string, inAttribute = false): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let last = 0;
  const n = s.length;
  while (amp >= 0) {
    let i = amp + 1;
    let rep: string | null = null;
    let end = i;
    if (i < n && s.charCodeAt(i) === 35 /* # */) {
      i++;
      const hex = i < n && (s.charCodeAt(i) | 0x20) === 120; /* x */
      if (hex) i++;
      const start = i;
      let cp = 0;
      while (i < n && i - start < 8) {
        const c = s.charCodeAt(i);
        let d: number;
        if (c >= 48 && c <= 57) d = c - 48;
        else if (hex && (c | 0x20) >= 97 && (c | 0x20) <= 102) d = (c | 0x20) - 87;
        else break;
        cp = cp * (hex ? 16 : 10) + d;
        i++;
      }
      // Overlong digit runs are consumed and give U+FFFD.
      let over = false;
      while (i < n && (hex ? isHexDigit(s.charCodeAt(i)) : isDigit(s.charCodeAt(i)))) {
        over = true;
        i++;
      }
      if (i > start) {
        rep = over ? '\ufffd' : fromCodePoint(cp);
        end = i < n && s.charCodeAt(i) === 59 ? i + 1 : i;
      }
    } else {
      const start = i;
      while (i < n && i - start < 32 && isAlnum(s.charCodeAt(i))) i++;
      if (i > start) {
        if (i < n && s.charCodeAt(i) === 59) {
          const name = s.slice(start, i);
          const v = Object.prototype.hasOwnProperty.call(NAMED, name) ? NAMED[name] : undefined;
          if (v !== undefined) {
            rep = v;
            end = i + 1;
          }
        }
        if (rep === null) {
          // Longest legacy prefix without ';' (e.g. "&copy2024", "&notit").
          for (let k = Math.min(i, start + 6); k > start + 1; k--) {
            const name = s.slice(start, k);
            if (!LEGACY.has(name)) continue;
            const next = k < n ? s.charCodeAt(k) : 0;
            if (inAttribute && (isAlnum(next) || next === 61)) break;
            rep = NAMED[name];
            end = k;
            break;
          }
        }
      }
    }
    if (rep !== null) {
      out += s.slice(last, amp) + rep;
      last = end;
    }
    amp = s.indexOf('&', rep !== null ? end : amp + 1);
  }
  return last === 0 ? s : out + s.slice(last);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || ((c | 0x20) >= 97 && (c | 0x20) <= 102);
}
