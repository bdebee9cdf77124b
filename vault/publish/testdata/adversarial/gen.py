#!/usr/bin/env python3
"""Writes the adversarial corpus: one published case per disguise.

Each file is a case with full consent whose public text smuggles a value
that is restricted or confidential in one of the cases in secrets/ (or a
pattern of personal data). Its header says what it smuggles, the exact
planted text, and which secret the leak report must name. The test
(TestAdversarialCorpus) publishes each file together with secrets/ in all
four formats: every file must be refused, and with --redact the planted
text must be gone. Run: python3 gen.py (rewrites the NNN-*.yaml files).
"""
import glob, json, os, unicodedata

W, S, D = "withheld", "skipped", "declined"
C0N, C1N = "person.contacts[0].name", "person.contacts[1].name"
PERP, WIT = "mistreatment[0].perpetrators[0]", "mistreatment[0].witnesses[0]"

# (class, description, planted text, secret case, secret field)
items = []
def add(cls, desc, text, case, field):
    items.append((cls, desc, text, case, field))

# Invisible and formatting characters, RTL override.
for t, d in [("Shakh\u200bnovsky", "zero-width space"), ("Sha\u00adkhnovsky", "soft hyphen"),
             ("Shakh\u200dnovsky", "zero-width joiner"), ("Shakh\u2060novsky", "word joiner"),
             ("Shakh\ufeffnovsky", "BOM inside the word"), ("Шах\u200cновский", "zero-width non-joiner, Cyrillic"),
             ("\u202eyksvonhkahS\u202c", "right-to-left override with the surname reversed"),
             ("\u202eyksvonhkahS pelG\u202c", "RLO with the full name reversed"),
             ("\u2067yksvonhkahS\u2069", "right-to-left isolate with the surname reversed"),
             ("Sav\u200bchuk", "zero-width space in a perpetrator's surname"),
             ("Хайрул\u00adлин", "soft hyphen in a witness's surname"),
             ("Ka\u2060ramurza", "word joiner in the lawyer's surname")]:
    field = "person.name" if "hkahS" in t or "Shakh" in t or "Шах" in t or "Sha" in t else PERP if "Sav" in t else WIT if "Хай" in t else C1N
    add("invisible", d, t, W, field)

# Mixed scripts, accents, other transliteration systems, declension.
name = "person.name"
for t, d in [("Shakhnovskу", "Cyrillic у at the end of a Latin surname"), ("Шаxновcкий", "Latin x and c inside a Cyrillic surname"),
             ("Ѕhakhnovsky", "Cyrillic Ѕ for Latin S"), ("Shаkhnоvsky", "Cyrillic а and о inside a Latin surname"),
             ("Shakhnóvsky", "precomposed accent"), ("Shakhnovsky\u0301", "combining accent"),
             ("Schachnowski", "German transliteration"), ("Šachnovskij", "scholarly/ISO 9 transliteration"),
             ("Szachnowski", "Polish transliteration"), ("Shakhnovskiy", "-iy ending"), ("Shakhnovskii", "-ii ending"),
             ("SHAKHNOVSKY", "capitals"), ("shakhnovsky", "lower case"), ("Ｓｈａｋｈｎｏｖｓｋｙ", "full-width letters"),
             ("Шахновскому", "Russian dative"), ("Глеба Шахновского", "Russian genitive of the full name"),
             ("Шахновським", "Ukrainian instrumental"), ("Глеб Шахновський", "Ukrainian spelling"),
             ("Shakhnovsky's", "English possessive"), ("G. Shakhnovsky", "initial and surname"),
             ("Gleb Shakhnovsky", "the full name as stored"), ("Shakhnovsky Gleb", "surname first"),
             ("Глебу Шахновскому", "dative of the full name"), ("Shachnovsky", "ch for kh")]:
    add("spelling", d, t, W, name)
for t, d in [("Yelena Semyonova", "BGN/PCGN spelling"), ("Elena Semenova", "ё written е, no y"),
             ("Jelena Semjonova", "German spelling"), ("Semyonova", "surname alone"), ("Семеновой", "genitive without ё"),
             ("Елене Семёновой", "dative of the full name"), ("Semënova", "ë with diaeresis"),
             ("Ielena Semionova", "passport-style ie/io"), ("SEMYONOVA", "capitals"), ("Semjonowa", "German w")]:
    add("spelling", d, t, W, C0N)
for t, d in [("Dar'ya Karamurza", "apostrophe for the soft sign"), ("Darʹja Kara-Murza", "modifier prime and hyphen"),
             ("Daria Kara-Murza", "hyphenated surname"), ("Карамурзе", "dative"), ("Karamurza", "surname alone"),
             ("Darja Karamursa", "German-style spelling"), ("Дарьи Карамурзы", "genitive")]:
    add("spelling", d, t, W, C1N)

# Role words stripped: a surname alone.
for t, d in [("Savchuk", "surname alone of 'майор Дмитрий Савчук'"), ("Major Savchuk", "rank in English"),
             ("Савчуку", "dative"), ("Dmitry Savchuk", "given name and surname"), ("Sawczuk", "Polish spelling"),
             ("майора Савчука", "genitive with the rank"), ("Savčuk", "scholarly č"), ("SAVCHUK", "capitals")]:
    add("role", d, t, W, PERP)
for t, d in [("Khairullin", "surname alone of 'сокамерник Рустам Хайруллин'"), ("Khayrullin", "y for й"),
             ("Хайруллина", "genitive"), ("Rustam Khairullin", "given name and surname"), ("Chairullin", "German ch"),
             ("Khaïrullin", "diaeresis"), ("Hairullin", "h for kh"), ("Хайруллину", "dative")]:
    add("role", d, t, W, WIT)
for t, d in [("Горинову", "dative of a witness of a case not in this publication"), ("Gorinov", "Latin"),
             ("Sergei Gorinov", "full name"), ("Горинова", "genitive")]:
    add("unpublished", d, t, S, WIT)
for t, d in [("Oksana Vyshnevetska", "lawyer of a case not in this publication"), ("Vyshnevetska", "surname alone"),
             ("Вишневецька", "Ukrainian Cyrillic"), ("Wyschnewetska", "German sch and w")]:
    add("unpublished", d, t, S, C0N)
for t, d in [("Arslan Bekmurzaev", "name raised to confidential, publication declined"), ("Bekmurzayev", "y spelling"),
             ("Бекмурзаеву", "dative"), ("Bekmurzaiev", "passport spelling"), ("Арслана Бекмурзаева", "genitive")]:
    add("override", d, t, D, "person.name")

# Phones.
for t, d in [("8.912.345.67.89", "dots"), ("8–912–345–67–89", "en dashes"), ("+7 (912) 3456789", "brackets"),
             ("８９１２３４５６７８９", "full-width digits"), ("89123456789", "digits only"), ("+7 912 345 67 89", "spaces"),
             ("8 912 345-67-89", "trunk prefix"), ("8(912)345-67-89", "no spaces"), ("+7\u200b912\u200b3456789", "zero-width spaces"),
             ("912-345-67-89", "national number only"), ("+380 67 123 4567", "a Ukrainian lawyer's phone")]:
    add("phone", d, t, S if "380" in t else W, "person.contacts[0].phone")

# E-mails and URLs.
for t, d in [("elena.semenova at example dot org", "at/dot words"), ("elena.semenova (at) example (dot) org", "(at) (dot)"),
             ("mailto:elena.semenova%40example.org", "percent-encoded @ in mailto:"), ("elena.semenova@example.org", "plain"),
             ("elena dot semenova at example dot org", "all dots as words"), ("elena.semenova собака example точка org", "Russian собака/точка"),
             ("mailto:%65lena.semenova%40example.org", "percent-encoded letters"), ("ELENA.SEMENOVA@EXAMPLE.ORG", "capitals")]:
    add("email", d, t, W, "person.contacts[0].email")
for t, d in [("karamurza.law at example dot net", "lawyer's e-mail with at/dot")]:
    add("email", d, t, W, "person.contacts[1].email")
for t, d in [("vk.com/%D0%B3%D0%BB%D0%B5%D0%B1.%D1%88%D0%B0%D1%85%D0%BD%D0%BE%D0%B2%D1%81%D0%BA%D0%B8%D0%B9", "percent-encoded Cyrillic VK path"),
             ("https://vk.com/глеб.шахновский", "VK link as stored"), ("vk.com/gleb.shakhnovsky", "transliterated VK path")]:
    add("url", d, t, W, "sources[0]")
for t, d in [("t.me/semenova_family", "Telegram link without scheme"), ("https://t.me/semenova_family", "Telegram link"),
             ("t.me/%73emenova_family", "percent-encoded letter")]:
    add("url", d, t, W, "sources[1]")

# Dates.
for t, d in [("13 September 1990", "English day month year"), ("13 сентября 1990", "Russian genitive month"),
             ("13.9.90", "short numeric"), ("09/13/1990", "US order"), ("13.09.1990", "European numeric"),
             ("September 13, 1990", "English month first"), ("1990-09-13", "ISO"), ("13 вересня 1990", "Ukrainian month"),
             ("13/09/1990", "slashes"), ("13 Sept 1990", "abbreviated month"), ("13 сент. 1990 г.", "Russian abbreviation"),
             ("１３.０９.１９９０", "full-width digits")]:
    add("date", d, t, W, "person.birth_date")

# Addresses.
for t, d in [("Lenina 5, apt 12", "street and number in Latin"), ("ул. Ленина, д. 5, кв. 12", "as stored"),
             ("ulitsa Lenina, dom 5", "transliterated street words"), ("5 Lenina Street", "number first"),
             ("Ленина 5", "short form"), ("Lenin street 5", "nominative street name")]:
    add("address", d, t, W, "person.contacts[0].address")

# Passport and other numbers inside a note.
for t, d in [("серии 4512 № 345678", "series and number words"), ("4512 345678", "digits"), ("45 12 345678", "split series"),
             ("passport no. 4512-345678", "dash"), ("4512345678", "run together"), ("серия 4512, номер 345678", "номер")]:
    add("passport", d, t, W, "notes")

# Medical note, a few consecutive words.
for t, d in [("he has chronic hepatitis, diagnosed in the prison hospital", "English words of the note"),
             ("Hepatitis Diagnosed Prison Hospital Family", "four content words, capitalised"),
             ("диагностирован хронический гепатит, семья просит молчать", "Russian words of the note"),
             ("hepatitis diagnosed in the prison hospital; the family asks", "a later window"),
             ("the family asks that his medical condition stays private", "the note's request"),
             ("Beaten by guards in the shower block after refusing", "restricted incident description")]:
    add("note", d, t, W, "notes" if "Beaten" not in t else "mistreatment[0].description")

# More of each class: look-alike letters in other names, other forms.
for t, d, f in [("Sаvchuk", "Cyrillic а in a Latin surname", PERP), ("Khаirullin", "Cyrillic а in a Latin surname", WIT),
                ("Карамурзa", "Latin a in a Cyrillic surname", C1N), ("Семёнoва", "Latin o in a Cyrillic surname", C0N),
                ("Ｋａｒａｍｕｒｚａ", "full-width letters", C1N), ("Г. Шахновский", "Cyrillic initial and surname", "person.name"),
                ("Gleb Shakhnovskyi", "Ukrainian-style -yi ending", "person.name"),
                ("Hleb Shakhnovskyi", "Ukrainian Г as H", "person.name")]:
    add("spelling", d, t, W, f)
for t, d in [("13-09-1990", "dashes"), ("Sep 13 1990", "abbreviated month first"), ("13 Sep 90", "two-digit year")]:
    add("date", d, t, W, "person.birth_date")
add("address", "abbreviated street word after the name", "Lenina str., 5", W, "person.contacts[0].address")
add("address", "Cyrillic with дом", "улица Ленина, дом 5", W, "person.contacts[0].address")
for t, d in [("+7-912-345-67-89", "hyphens throughout"), ("(912) 345-67-89", "area code in brackets"),
             ("8 (912) 345 67 89", "brackets and spaces")]:
    add("phone", d, t, W, "person.contacts[0].phone")

# Names written inside withheld free text (hearing notes, outcome, detention notes).
HN, HO, DN = "hearings[0].notes", "hearings[0].outcome", "detention[0].notes"
for t, d, f in [("Alexei Smirnov", "a secret witness named in hearing notes", HN),
                ("Алексея Смирнова", "genitive of a name in hearing notes", HN),
                ("Алексею Смирнову", "dative of a name in hearing notes", HN),
                ("Aleksei Smirnov", "another transliteration of a name in notes", HN),
                ("Smirnov A.A.", "surname and initials of a name in notes", HN),
                ("А. Смирнов", "Cyrillic initial and surname of a name in notes", HN),
                ("Smirnov Alexei", "surname first, of a name in notes", HN),
                ("Alexei Smirnov testimony", "restricted hearing outcome", HO),
                ("Boris Kuznetsov", "an informant named in detention notes", DN),
                ("Бориса Кузнецова", "genitive of an informant in detention notes", DN),
                ("Kuznetsov", "distinctive surname alone from detention notes", DN),
                ("Кузнецову", "dative surname alone from detention notes", DN),
                ("Dmitry Orlov", "a name in detention notes, another spelling", DN),
                ("Дмитрия Орлова", "genitive of a name in detention notes", DN)]:
    add("notename", d, t, W, f)

targets = ["publication.summary", "proceedings.appeal", "charges[0].title", "person.occupation", "detention[0].facility"]

def q(s):
    # Invisible and formatting characters are written as \\u escapes, which
    # YAML double-quoted strings understand, so that the files show them.
    out = json.dumps(s, ensure_ascii=False)
    return "".join("\\u%04x" % ord(c) if unicodedata.category(c) in ("Cf", "Mn") else c for c in out)

for f in glob.glob("[0-9][0-9][0-9]-*.yaml"):
    os.remove(f)
for i, (cls, desc, text, case, field) in enumerate(items):
    target = targets[i % len(targets)]
    sentence = "Supporters say " + text + " matters here."
    vals = {t: "" for t in targets}
    vals["publication.summary"] = "A teacher detained for an anti-war post."
    vals["proceedings.appeal"] = "Appeal pending."
    vals["charges[0].title"] = "Spreading false information about the armed forces"
    vals["person.occupation"] = "teacher"
    vals["detention[0].facility"] = "SIZO-2, Tver"
    vals[target] = sentence
    doc = f"""# smuggles: {desc} ({cls}) in {target}
# planted: {q(text)}
# secret: {case} {field}
# expect: refused in html, json, csv and md; with --redact the planted text is masked
schema: case.v1
person:
  name: "Ivan Petrov"
  name_native: "Иван Петров"
  gender: male
  citizenship: [RU]
  region: "Tver region"
  occupation: {q(vals['person.occupation'])}
charges:
  - code: RU-CC
    article: "207.3(2)"
    title: {q(vals['charges[0].title'])}
detention:
  - kind: pretrial
    facility: {q(vals['detention[0].facility'])}
    from: 2024-03-01
proceedings:
  appeal: {q(vals['proceedings.appeal'])}
status: pretrial
publication:
  consent: full
  summary: {q(vals['publication.summary'])}
"""
    with open(f"{i+1:03d}-{cls}.yaml", "w") as fh:
        fh.write(doc)
print(len(items), "files")
