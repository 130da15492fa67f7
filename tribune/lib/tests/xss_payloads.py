"""Hostile inputs for the Markdown and sanitizer sweep in test_sanitizing.py.

Written for Tribune, grouped by the trick they try. The categories follow the public
evasion lists named in shared/reference/compliance.md (5.3); the strings are our own. Every
host is under .invalid, so nothing here can reach the network even if it escaped.

Each payload is used whole as an article body, inside link and image targets, in a
reference definition, as an autolink, and as raw HTML given straight to the sanitizer.
"""

SCRIPT_TAGS = [
    "<script>alert('tribune')</script>",
    "<SCRIPT>alert(document.cookie)</SCRIPT>",
    "<ScRiPt src=//tribune.invalid/a.js></sCrIpT>",
    "<script\n>confirm`1`</script\n>",
    '<script/src="data:text/javascript,alert(2)"></script>',
    '<script type="module">import("//tribune.invalid/m.js")</script>',
    "<<script>alert(3);//<</script>",
    "<scr<script>ipt>alert(4)</scr</script>ipt>",
    "<script>/*</script><script>*/alert(5)</script>",
    "</title><script>alert(6)</script>",
    "</textarea><script>alert(7)</script>",
    '<noscript><p title="</noscript><script>alert(8)</script>">',
    "<script src=https://tribune.invalid/unclosed.js?",
    "<template><script>alert(9)</script></template>",
    "<script >top['al'+'ert'](10)</script >",
]

EVENT_HANDLERS = [
    "<img src=x onerror=alert(11)>",
    '<IMG SRC="/none.png" ONERROR="alert(12)">',
    "<body onload=alert(13)>",
    '<div onmouseover="alert(14)">Maus hierher</div>',
    "<p onclick='alert(15)'>Klick</p>",
    "<input autofocus onfocus=alert(16)>",
    "<details open ontoggle=alert(17)>Mehr</details>",
    '<video><source onerror="alert(18)"></video>',
    "<audio src=x onerror=alert(19)>",
    "<marquee onstart=alert(20)>Eilmeldung</marquee>",
    "<img src=x:y onerror\n=\nalert(21)>",
    "<img/src=x/onerror=alert(22)>",
    '<a href="#" onpointerenter=alert(23)>Zeiger</a>',
    "<select autofocus onfocus=alert(24)></select>",
    "<img src=x onerror=&#97;lert(25)>",
    '<img src="x" alt="a" onerror="eval(atob(\'YWxlcnQoMjYp\'))">',
    '<h1 onanimationstart=alert(27) style="animation-name:spin">Titel</h1>',
    '<a href="https://tribune.invalid/" ONFOCUS=alert(28) autofocus>fokus</a>',
]

SCHEME_SPELLINGS = [
    "javascript:alert(29)",
    "JavaScript:alert(30)",
    "JAVASCRIPT:alert(31)",
    "   javascript:alert(32)",
    "\x01javascript:alert(33)",
    "\x00javascript:alert(34)",
    "java\tscript:alert(35)",
    "java\nscript:alert(36)",
    "java\rscript:alert(37)",
    "jav&#x09;ascript:alert(38)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(39)",
    "&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(40)",
    "&#0000106&#0000097vascript:alert(41)",
    "&#x6A;&#x61;&#x76;&#x61;script&#x3A;alert(42)",
    "&#x6a&#x61&#x76&#x61script&#x3aalert(43)",
    "javascript&colon;alert(44)",
    "javascript&#58;alert(45)",
    "javascript%3Aalert(46)",
    "%6A%61%76%61%73%63%72%69%70%74:alert(47)",
    "java%0ascript:alert(48)",
    "java%09script:alert(49)",
    "javascript%253Aalert(50)",
    "\u200bjavascript:alert(51)",
    "\u2028javascript:alert(52)",
    "javascript\u00a0:alert(53)",
    "j\u0430vascript:alert(54)",
    "javascript://tribune.invalid/%0Aalert(55)",
    "vbscript:msgbox(56)",
    'VBScript:MsgBox("57")',
    "livescript:alert(58)",
    "data:text/html,<script>alert(59)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgiYjY0Iik8L3NjcmlwdD4=",
    "DATA:image/svg+xml,<svg onload=alert(60)>",
    "data:image/png;base64,iVBORw0KGgo=",
    " data:image/gif;base64,R0lGODlhAQABAAAAACw=",
    "file:///etc/passwd",
    "ms-its:mhtml:file://c:/x.mht!https://tribune.invalid/x.html",
]

MARKDOWN_LINKS = [
    "[Zur Quelle](javascript:alert(61))",
    "[Zur Quelle](JaVaScRiPt:alert(62))",
    "[Quelle](<javascript:alert(63)>)",
    "[Quelle]( javascript:alert(64) )",
    "[Quelle](javascript&#58;alert(65))",
    "[Quelle](&#x6A;avascript:alert(66))",
    "[Quelle](java%0Ascript:alert(67))",
    "[Quelle](java\\\nscript:alert(68))",
    "![Foto](javascript:alert(69))",
    "![Foto](data:image/svg+xml;base64,"
    "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoNzEpIi8+)",
    "![Foto](data:image/png;base64,AAAA)",
    "![Foto](vbscript:msgbox(70))",
    "[Artikel][quelle]\n\n[quelle]: javascript:alert(71)",
    '[Artikel][quelle]\n\n[quelle]: <data:text/html,<script>alert(72)</script>> "Titel"',
    "[quelle]\n\n[quelle]: vbscript:msgbox(73)",
    "[quelle]\n\n[quelle]:\n  &#106;avascript:alert(74)",
    "<javascript:alert(75)>",
    "<JAVASCRIPT:alert(76)>",
    "<data:text/html;base64,PGltZyBzcmM9eCBvbmVycm9yPWFsZXJ0KDMpPg==>",
    "<vbscript:msgbox(77)>",
    '[Quelle](https://tribune.invalid "Titel\\" onmouseover=\\"alert(78))',
    '[Quelle](https://tribune.invalid/"onmouseover="alert(79))',
    '![x"onerror="alert(80)](https://tribune.invalid/a.png)',
    "[<img src=x onerror=alert(81)>](https://tribune.invalid)",
    "[Suche](https://tribune.invalid/?q=<script>alert(82)</script>)",
    "![Bild](https://tribune.invalid/a.png'onerror='alert(83))",
    "[![Bild](javascript:alert(84))](javascript:alert(85))",
    '[Anker](<#" onclick="alert(86)>)',
    '![Bild](https://tribune.invalid/a.png "t" onerror="alert(87)")',
]

SVG_AND_MATHML = [
    "<svg onload=alert(88)>",
    "<svg><script>alert(89)</script></svg>",
    '<svg><a xlink:href="javascript:alert(90)"><text x="0" y="20">tippen</text></a></svg>',
    "<svg><animate attributeName=href values=javascript:alert(91) /><a><text>t</text></a></svg>",
    '<svg><set attributeName="onmouseover" to="alert(92)"/></svg>',
    '<svg><foreignObject><iframe src="javascript:alert(93)"></iframe></foreignObject></svg>',
    "<svg><style>@import url(javascript:alert(94))</style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(95)></style></mglyph>"
    "</table></mtext></math>",
    '<math href="javascript:alert(96)">tippen</math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(97)">m</maction></math>',
    "<svg><use href=\"data:image/svg+xml,<svg id='u' xmlns='http://www.w3.org/2000/svg'>"
    "<image href='x' onerror='alert(98)'/></svg>#u\"/></svg>",
    "<svg/onload=alert(99)//",
]

EMBEDDING_TAGS = [
    '<iframe src="javascript:alert(100)"></iframe>',
    '<iframe srcdoc="<script>alert(101)</script>"></iframe>',
    "<IFRAME SRC=//tribune.invalid/frame>",
    '<object data="javascript:alert(102)"></object>',
    '<object type="text/html" data="data:text/html,<script>alert(103)</script>"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2Zz4=">',
    "<embed code=x.swf allowscriptaccess=always>",
    '<base href="javascript:alert(104)//">',
    '<base href="//tribune.invalid/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(105)">',
    '<meta charset="x-imap4-modified-utf7">',
    '<form action="javascript:alert(106)"><button>Senden</button></form>',
    "<form><button formaction=javascript:alert(107)>Los</button></form>",
    '<input type="image" src="x" onerror="alert(108)">',
    "<isindex action=javascript:alert(109) type=image>",
    '<style>body{background:url("javascript:alert(110)")}</style>',
    "<style>@import 'https://tribune.invalid/evil.css';</style>",
    '<link rel="stylesheet" href="javascript:alert(111)">',
    "<link rel=import href=//tribune.invalid/x.html>",
    '<frameset><frame src="javascript:alert(112)"></frameset>',
    '<applet code="Evil.class"></applet>',
    '<img src="https://tribune.invalid/a.png" usemap="#m"><map name="m">'
    '<area href="javascript:alert(113)"></map>',
    '<button onclick="alert(114)">Abstimmen</button>',
    '<textarea autofocus onfocus="alert(115)"></textarea>',
]

STYLE_ATTRIBUTES = [
    '<div style="width:expression(alert(116))">x</div>',
    '<p style="background-image:url(javascript:alert(117))">x</p>',
    '<span style="behavior:url(#default#time2)" onbegin="alert(118)">x</span>',
    '<div style="-moz-binding:url(//tribune.invalid/x.xml#xss)">x</div>',
    '<a style="position:fixed;inset:0" href="https://tribune.invalid/phish">Overlay</a>',
    '<p style="x:\\65xpression(alert(119))">x</p>',
    '<p style="background:url(&quot;javascript:alert(120)&quot;)">x</p>',
]

BROKEN_MARKUP = [
    '<img src="x\nonerror=alert(121)//',
    '<a href="https://tribune.invalid/"onclick="alert(122)">x</a>',
    "<a href='https://tribune.invalid/' title=\"'\" onclick='alert(123)'>x</a>",
    '<img alt="" src=\'x\' ""onerror="alert(124)">',
    "<img src=`x`onerror=alert(125)>",
    "<a href=javascript:alert(126)>ohne Anführungszeichen</a>",
    '<a href="  javascript:alert(127)">Leerzeichen</a>',
    '<a href="&#14;javascript:alert(128)">Steuerzeichen</a>',
    '<a href="jav&#x0A;ascript:alert(129)">Zeilenumbruch</a>',
    '<a href="javas&#99ript:alert(130)">ohne Semikolon</a>',
    "<div <div onmouseover=alert(131)>x",
    '<p title="</p><script>alert(132)</script>">',
    "<b <script>alert(133)</script>0",
    '<img """><script>alert(134)</script>">',
    '<a href="https://tribune.invalid" <img src=x onerror=alert(135)>',
    '<img src="x" onerror="alert(136)"',
    '<a href="data:text/html,%3Cscript%3Ealert(137)%3C/script%3E">x</a>',
    '<img srcset="javascript:alert(138) 1x, https://tribune.invalid/a.png 2x">',
    '<a href="https://tribune.invalid" target="_blank" ping="//tribune.invalid/p">neu</a>',
    '<div id="csrf_token" name="config" class="admin">Überschreiben</div>',
]

COMMENTS_AND_CDATA = [
    "<!--<img src=x onerror=alert(139)>-->",
    "<!-- --!><img src=x onerror=alert(140)> -->",
    "<!--[if gte IE 4]><script>alert(141)</script><![endif]-->",
    "<![CDATA[<script>alert(142)</script>]]>",
    '<svg><![CDATA[><image xlink:href="]]><img src=x onerror=alert(143)>">]]></svg>',
    '<?xml version="1.0"?><script>alert(144)</script>',
    "<!DOCTYPE html><html><script>alert(145)</script>",
    '<xmp><img alt="</xmp><img src=x onerror=alert(146)>">',
    '<noembed><img title="</noembed><img src=x onerror=alert(147)>"></noembed>',
    "<!--->[Quelle](javascript:alert(148))<!--->",
]

MARKDOWN_CONTEXTS = [
    "> <script>alert(149)</script>",
    "```html\n<script>alert(150)</script>\n```",
    "    <script>alert(151)</script>",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(152)> | [x](javascript:alert(153)) |",
    "# <script>alert(154)</script>",
    "# Titel {#onload onclick=alert(155)}",
    "<div>\n\n[Quelle](javascript:alert(156))\n\n</div>",
    "- [Punkt](vbscript:msgbox(157))\n- ![Bild](data:text/html,x)",
    "&lt;script&gt;alert(158)&lt;/script&gt;",
    "\\<script>alert(159)\\</script>",
    "`<script>`alert(160)`</script>`",
]

TEMPLATE_LOOKALIKES = [
    "{{ 7*7 }}",
    "{% load static %}{% debug %}",
    "{{ request.META }}",
    "{{settings.SECRET_KEY}}",
    "${alert(161)}",
    '<%= system("id") %>',
    "{{constructor.constructor('alert(162)')()}}",
    "#{7*7}",
    "{{'<script>alert(163)</script>'|safe}}",
    "\\u003cscript\\u003ealert(164)\\u003c/script\\u003e",
]

CATEGORIES = {
    "script": SCRIPT_TAGS,
    "handler": EVENT_HANDLERS,
    "scheme": SCHEME_SPELLINGS,
    "mdlink": MARKDOWN_LINKS,
    "svgmath": SVG_AND_MATHML,
    "embed": EMBEDDING_TAGS,
    "style": STYLE_ATTRIBUTES,
    "broken": BROKEN_MARKUP,
    "comment": COMMENTS_AND_CDATA,
    "mdcontext": MARKDOWN_CONTEXTS,
    "template": TEMPLATE_LOOKALIKES,
}

PAYLOADS = [payload for payloads in CATEGORIES.values() for payload in payloads]
PAYLOAD_IDS = [
    f"{name}-{number}"
    for name, payloads in CATEGORIES.items()
    for number, _ in enumerate(payloads, start=1)
]
