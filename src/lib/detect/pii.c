/*
 * detect/pii.c - personal and sensitive data: classify fields by name and by
 * value.
 *
 * Names. A field name (form label, schema property, Set/mapper key,
 * spreadsheet column, SQL column) is normalised into words: ASCII is
 * lower-cased, Latin-1 accents are folded to their base letter ("Straße" ->
 * "strasse", "teléfono" -> "telefono"), and words break at separators, at
 * camelCase humps and between letters and digits. The words are kept joined
 * with their boundaries marked, so one term matches every spelling:
 * "firstname" matches "first_name", "firstName", "First Name" and
 * "firstname". A term must start and end on word boundaries ("card" is not
 * in "cardinality", "dob" not in "adobe", "age" not in "message"); a few
 * terms may also end a compound ("Lieferadresse", "useremail",
 * "accesstoken"). Each hit is then checked against exclusion words found
 * elsewhere in the name ("emailBody" is about a message, "nextPageToken" is
 * plumbing, "serverAddress" is not a person's). Chinese and Japanese terms
 * are matched as substrings, since those scripts do not separate words. When
 * several terms hit, the most sensitive class wins (the wd_class order:
 * PII < FINANCIAL < HEALTH < CREDENTIAL < SECRET).
 *
 * Values. A value is PII when it is a well-formed e-mail address (the whole
 * value, or one clearly delimited inside a short text) or a phone number
 * (the whole value: E.164 with "+", or a national format with separators);
 * FINANCIAL when it is a card number that passes Luhn with a known issuer
 * prefix and length, or an IBAN with the right length (and BBAN shape for
 * the common countries) that passes mod-97. Dates, times, versions, IP
 * addresses, UUIDs, ZIP codes, thousands-grouped amounts and bare integers
 * are not phone numbers.
 *
 * Invariants: no allocation, no global state (safe from any thread), work
 * bounded by PII_MAX_BYTES whatever the input (names are truncated there,
 * longer values are not classified at all).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "warden/detect.h"

/* Longest name looked at / longest value classified. */
#define PII_MAX_BYTES 256
#define PII_MAX_WORDS 128

/* ===================================================================== */
/* Names: normalisation                                                  */
/* ===================================================================== */

/* Character kinds, for word boundaries. */
enum { K_SEP = 0, K_LOWER, K_UPPER, K_DIGIT, K_OTHER };

typedef struct name_words {
	char text[PII_MAX_BYTES + 8];  /* words joined, lower-case, accents folded */
	size_t len;
	uint16_t start[PII_MAX_WORDS]; /* byte offset where each word begins */
	size_t nwords;
	uint8_t bound[PII_MAX_BYTES + 8]; /* bound[i]: a word begins or ends at i */
	int has_wide;                  /* holds non-Latin text (CJK...) */
} name_words;

/* Fold U+00C0..U+00FF to lower-case ASCII ("" for a non-letter). */
static const char *fold_latin1(unsigned cp, int *upper)
{
	static const char *const tab[64] = {
		"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
		"d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "ss",
		"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
		"d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "y",
	};

	*upper = cp < 0xE0 && cp != 0xD7 && cp != 0xDF;
	return tab[cp - 0xC0];
}

/* Length of the UTF-8 sequence at p (n bytes left) and its code point; 0 if
 * malformed or truncated. */
static size_t utf8_decode(const unsigned char *p, size_t n, unsigned *cp)
{
	size_t len, i;
	unsigned c = p[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		c &= 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	*cp = c;
	return len;
}

/* Non-ASCII code points that separate words like ASCII punctuation does. */
static int wide_separator(unsigned cp)
{
	return cp == 0xA0 || cp == 0xB7 || cp == 0xBF || cp == 0xA1 || cp == 0xAB ||
	       cp == 0xBB || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F) ||
	       (cp >= 0x3000 && cp <= 0x3003) || (cp >= 0x3008 && cp <= 0x3011) ||
	       (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20);
}

static void words_begin(name_words *w)
{
	if (w->nwords < PII_MAX_WORDS) {
		w->start[w->nwords++] = (uint16_t)w->len;
		w->bound[w->len] = 1;
	}
}

static void words_put(name_words *w, const char *s, size_t n)
{
	if (w->len + n > PII_MAX_BYTES)
		return;
	memcpy(w->text + w->len, s, n);
	w->len += n;
}

/*
 * Split name into words. Boundaries: any ASCII non-alphanumeric, the
 * separators above, lower->Upper ("firstName"), the last capital of a run
 * before a lower-case letter ("IPAddress" -> ip, address), letter<->digit,
 * and Latin <-> other scripts.
 */
static void words_split(name_words *w, wd_str name)
{
	const unsigned char *p = (const unsigned char *)name.ptr;
	size_t n = name.len < PII_MAX_BYTES ? name.len : PII_MAX_BYTES;
	size_t i = 0;
	int prev = K_SEP;

	memset(w->bound, 0, sizeof(w->bound));
	w->len = 0;
	w->nwords = 0;
	w->has_wide = 0;
	if (!p)
		return;
	while (i < n) {
		unsigned cp;
		size_t sl = utf8_decode(p + i, n - i, &cp);
		int kind, upper = 0;
		const char *folded = NULL;

		if (sl == 0) {          /* malformed: a separator */
			prev = K_SEP;
			i++;
			continue;
		}
		if (cp < 0x80) {
			if (cp >= 'a' && cp <= 'z')
				kind = K_LOWER;
			else if (cp >= 'A' && cp <= 'Z')
				kind = K_UPPER;
			else if (cp >= '0' && cp <= '9')
				kind = K_DIGIT;
			else
				kind = K_SEP;
		} else if (wide_separator(cp)) {
			kind = K_SEP;
		} else if (cp >= 0xC0 && cp <= 0xFF) {
			folded = fold_latin1(cp, &upper);
			kind = folded[0] ? (upper ? K_UPPER : K_LOWER) : K_SEP;
		} else {
			kind = K_OTHER;
			w->has_wide = 1;
		}
		if (kind != K_SEP) {
			int brk = 0;

			if (prev == K_SEP)
				brk = 1;
			else if (kind == K_UPPER && (prev == K_LOWER || prev == K_DIGIT))
				brk = 1;
			else if (kind == K_UPPER && prev == K_UPPER && i + sl < n &&
			         p[i + sl] >= 'a' && p[i + sl] <= 'z')
				brk = 1;
			else if ((kind == K_DIGIT) != (prev == K_DIGIT))
				brk = 1;
			else if ((kind == K_OTHER) != (prev == K_OTHER))
				brk = 1;
			if (brk)
				words_begin(w);
			if (folded) {
				words_put(w, folded, strlen(folded));
			} else if (cp < 0x80) {
				char c = (char)(kind == K_UPPER ? cp - 'A' + 'a' : cp);
				words_put(w, &c, 1);
			} else {
				words_put(w, (const char *)p + i, sl);
			}
		}
		prev = kind;
		i += sl;
	}
	w->bound[w->len] = 1;
	w->text[w->len] = '\0';
}

/* ===================================================================== */
/* Names: terms and exclusions                                           */
/* ===================================================================== */

/* Exclusion groups: which words elsewhere in the name cancel a hit. */
enum {
	G_NONE = 0,
	G_MAIL,     /* e-mail: not the body, subject, server... of a message */
	G_PHONE,
	G_MOBILE,   /* "mobile" alone: also apps, views, devices */
	G_NOM,      /* bare "nom"/"nombre": not a file or sheet name */
	G_AGE,
	G_BIRTH,    /* bare "birth": not an MQTT birth message */
	G_ADDR,     /* not a server, proxy, wallet address */
	G_ZIP,      /* not a zip archive */
	G_BANK,
	G_CARD,     /* not a Trello / Adaptive / Kanban card */
	G_HEALTH,   /* "health": not a service health check */
	G_PASS,
	G_PASSW,    /* bare "pass": not pass-through, pass/fail */
	G_TOKEN,    /* not paging, locking or LLM token counts */
	G_AUTHZ,
	G_SECRET,
	G_NGROUPS
};

/* WORD: starts and ends on word boundaries. END: may also end a compound
 * word ("lieferadresse"); the part before it is checked for exclusions. */
enum { M_WORD = 0, M_END = 1 };

typedef struct name_term {
	const char *w;     /* joined, lower-case, accent-free */
	uint8_t len;
	uint8_t cls;       /* wd_class */
	uint8_t grp;
	uint8_t mode;
} name_term;

#define T(w, cls, grp, mode) {w, (uint8_t)(sizeof(w) - 1), cls, grp, mode}

#define PII WD_CLASS_PII
#define FIN WD_CLASS_FINANCIAL
#define HLT WD_CLASS_HEALTH
#define CRD WD_CLASS_CREDENTIAL
#define SEC WD_CLASS_SECRET

static const name_term terms[] = {
	/* ---- e-mail (en, de, fr, es, it) ---- */
	T("email", PII, G_MAIL, M_END), T("emails", PII, G_MAIL, M_WORD),
	T("emailaddress", PII, G_MAIL, M_WORD), T("emailaddresses", PII, G_MAIL, M_WORD),
	T("emailaddr", PII, G_MAIL, M_WORD), T("emailadresse", PII, G_MAIL, M_WORD),
	T("emailadress", PII, G_MAIL, M_WORD), T("mail", PII, G_MAIL, M_WORD),
	T("mailaddress", PII, G_MAIL, M_WORD), T("mailadresse", PII, G_MAIL, M_WORD),
	T("courriel", PII, G_MAIL, M_WORD), T("correo", PII, G_MAIL, M_WORD),
	T("correoelectronico", PII, G_MAIL, M_WORD),
	/* ---- phone ---- */
	T("phone", PII, G_PHONE, M_END), T("phones", PII, G_PHONE, M_WORD),
	T("phonenumber", PII, G_PHONE, M_WORD), T("phonenumbers", PII, G_PHONE, M_WORD),
	T("phoneno", PII, G_PHONE, M_WORD), T("phonenum", PII, G_PHONE, M_WORD),
	T("telephone", PII, G_PHONE, M_WORD), T("tel", PII, G_PHONE, M_WORD),
	T("telno", PII, G_PHONE, M_WORD), T("fax", PII, G_PHONE, M_WORD),
	T("cellphone", PII, G_PHONE, M_WORD), T("cellnumber", PII, G_PHONE, M_WORD),
	T("mobile", PII, G_MOBILE, M_WORD), T("mobilenumber", PII, G_PHONE, M_WORD),
	T("mobileno", PII, G_PHONE, M_WORD), T("mobilephone", PII, G_PHONE, M_WORD),
	T("contactnumber", PII, G_PHONE, M_WORD), T("msisdn", PII, G_PHONE, M_WORD),
	T("telefon", PII, G_PHONE, M_END), T("telefonnummer", PII, G_PHONE, M_WORD),
	T("mobil", PII, G_MOBILE, M_WORD), T("mobilnummer", PII, G_PHONE, M_WORD),
	T("mobiltelefon", PII, G_PHONE, M_WORD), T("handy", PII, G_PHONE, M_WORD),
	T("handynummer", PII, G_PHONE, M_WORD), T("rufnummer", PII, G_PHONE, M_WORD),
	T("festnetz", PII, G_PHONE, M_WORD), T("telefono", PII, G_PHONE, M_WORD),
	T("celular", PII, G_PHONE, M_WORD), T("movil", PII, G_PHONE, M_WORD),
	T("cellulare", PII, G_PHONE, M_WORD),
	/* ---- person names: unambiguous compounds ---- */
	T("firstname", PII, G_NONE, M_WORD), T("lastname", PII, G_NONE, M_WORD),
	T("fullname", PII, G_NONE, M_WORD), T("givenname", PII, G_NONE, M_WORD),
	T("familyname", PII, G_NONE, M_WORD), T("middlename", PII, G_NONE, M_WORD),
	T("maidenname", PII, G_NONE, M_WORD), T("surname", PII, G_NONE, M_WORD),
	T("forename", PII, G_NONE, M_WORD), T("fname", PII, G_NONE, M_WORD),
	T("lname", PII, G_NONE, M_WORD), T("yourname", PII, G_NONE, M_WORD),
	T("customername", PII, G_NONE, M_WORD), T("contactname", PII, G_NONE, M_WORD),
	T("personname", PII, G_NONE, M_WORD), T("employeename", PII, G_NONE, M_WORD),
	T("candidatename", PII, G_NONE, M_WORD), T("applicantname", PII, G_NONE, M_WORD),
	T("vorname", PII, G_NONE, M_WORD), T("nachname", PII, G_NONE, M_WORD),
	T("familienname", PII, G_NONE, M_WORD), T("geburtsname", PII, G_NONE, M_WORD),
	T("kundenname", PII, G_NONE, M_WORD), T("prenom", PII, G_NONE, M_WORD),
	T("prenoms", PII, G_NONE, M_WORD), T("nomdefamille", PII, G_NONE, M_WORD),
	T("apellido", PII, G_NONE, M_WORD), T("apellidos", PII, G_NONE, M_WORD),
	T("nombrecompleto", PII, G_NONE, M_WORD), T("cognome", PII, G_NONE, M_WORD),
	/* bare "name" in French / Spanish: a person unless it names a thing */
	T("nom", PII, G_NOM, M_WORD), T("nombre", PII, G_NOM, M_WORD),
	/* ---- birth, age, identity ---- */
	T("dob", PII, G_NONE, M_WORD), T("birth", PII, G_BIRTH, M_WORD),
	T("dateofbirth", PII, G_NONE, M_WORD), T("birthdate", PII, G_NONE, M_WORD),
	T("birthday", PII, G_NONE, M_WORD), T("birthplace", PII, G_NONE, M_WORD),
	T("geburtsdatum", PII, G_NONE, M_WORD), T("geburtstag", PII, G_NONE, M_WORD),
	T("geburtsort", PII, G_NONE, M_WORD), T("naissance", PII, G_NONE, M_WORD),
	T("nacimiento", PII, G_NONE, M_WORD), T("fechanacimiento", PII, G_NONE, M_WORD),
	T("cumpleanos", PII, G_NONE, M_WORD), T("datadinascita", PII, G_NONE, M_WORD),
	T("age", PII, G_AGE, M_WORD), T("edad", PII, G_AGE, M_WORD),
	T("gender", PII, G_NONE, M_WORD), T("sex", PII, G_NONE, M_WORD),
	T("geschlecht", PII, G_NONE, M_WORD), T("sexe", PII, G_NONE, M_WORD),
	T("genero", PII, G_NONE, M_WORD), T("nationality", PII, G_NONE, M_WORD),
	T("nationalite", PII, G_NONE, M_WORD), T("nacionalidad", PII, G_NONE, M_WORD),
	T("staatsangehorigkeit", PII, G_NONE, M_WORD), T("ethnicity", PII, G_NONE, M_WORD),
	T("religion", PII, G_NONE, M_WORD), T("maritalstatus", PII, G_NONE, M_WORD),
	T("ssn", PII, G_NONE, M_WORD), T("socialsecurity", PII, G_NONE, M_WORD),
	T("nationalid", PII, G_NONE, M_WORD), T("nationalidentity", PII, G_NONE, M_WORD),
	T("nationalinsurance", PII, G_NONE, M_WORD), T("nino", PII, G_NONE, M_WORD),
	T("passport", PII, G_NONE, M_WORD), T("passportnumber", PII, G_NONE, M_WORD),
	T("passportno", PII, G_NONE, M_WORD), T("reisepass", PII, G_NONE, M_WORD),
	T("passeport", PII, G_NONE, M_WORD), T("pasaporte", PII, G_NONE, M_WORD),
	T("taxid", PII, G_NONE, M_WORD), T("taxnumber", PII, G_NONE, M_WORD),
	T("taxidentificationnumber", PII, G_NONE, M_WORD),
	T("steuerid", PII, G_NONE, M_WORD), T("steuernummer", PII, G_NONE, M_WORD),
	T("steueridentifikationsnummer", PII, G_NONE, M_WORD),
	T("sozialversicherungsnummer", PII, G_NONE, M_WORD),
	T("personalausweis", PII, G_NONE, M_WORD), T("ausweisnummer", PII, G_NONE, M_WORD),
	T("idcard", PII, G_NONE, M_WORD), T("identitycard", PII, G_NONE, M_WORD),
	T("identitynumber", PII, G_NONE, M_WORD),
	T("driverslicense", PII, G_NONE, M_WORD), T("driverlicense", PII, G_NONE, M_WORD),
	T("driverslicence", PII, G_NONE, M_WORD), T("drivinglicence", PII, G_NONE, M_WORD),
	T("drivinglicense", PII, G_NONE, M_WORD), T("fuhrerschein", PII, G_NONE, M_WORD),
	T("securitesociale", PII, G_NONE, M_WORD), T("dni", PII, G_NONE, M_WORD),
	T("nif", PII, G_NONE, M_WORD), T("curp", PII, G_NONE, M_WORD),
	T("cpf", PII, G_NONE, M_WORD), T("codicefiscale", PII, G_NONE, M_WORD),
	T("pesel", PII, G_NONE, M_WORD), T("aadhaar", PII, G_NONE, M_WORD),
	T("aadhar", PII, G_NONE, M_WORD),
	/* ---- addresses ---- */
	T("address", PII, G_ADDR, M_END), T("addresses", PII, G_ADDR, M_WORD),
	T("addr", PII, G_ADDR, M_WORD), T("ipaddress", PII, G_ADDR, M_WORD),
	T("ipaddr", PII, G_ADDR, M_WORD), T("clientip", PII, G_ADDR, M_WORD),
	T("remoteip", PII, G_ADDR, M_WORD), T("userip", PII, G_ADDR, M_WORD),
	T("xforwardedfor", PII, G_ADDR, M_WORD), T("street", PII, G_ADDR, M_WORD),
	T("housenumber", PII, G_ADDR, M_WORD), T("pobox", PII, G_ADDR, M_WORD),
	T("adresse", PII, G_ADDR, M_END), T("adresses", PII, G_ADDR, M_WORD),
	T("anschrift", PII, G_ADDR, M_WORD), T("strasse", PII, G_ADDR, M_END),
	T("hausnummer", PII, G_ADDR, M_WORD), T("wohnort", PII, G_ADDR, M_WORD),
	T("rue", PII, G_ADDR, M_WORD), T("direccion", PII, G_ADDR, M_WORD),
	T("domicilio", PII, G_ADDR, M_WORD), T("calle", PII, G_ADDR, M_WORD),
	T("indirizzo", PII, G_ADDR, M_WORD),
	T("zip", PII, G_ZIP, M_WORD), T("zipcode", PII, G_ZIP, M_WORD),
	T("postcode", PII, G_ZIP, M_WORD), T("postalcode", PII, G_ZIP, M_WORD),
	T("plz", PII, G_ZIP, M_WORD), T("postleitzahl", PII, G_ZIP, M_WORD),
	T("codepostal", PII, G_ZIP, M_WORD), T("codigopostal", PII, G_ZIP, M_WORD),
	/* ---- financial ---- */
	T("iban", FIN, G_BANK, M_WORD), T("ibans", FIN, G_BANK, M_WORD),
	T("bic", FIN, G_BANK, M_WORD), T("swiftcode", FIN, G_BANK, M_WORD),
	T("swiftbic", FIN, G_BANK, M_WORD), T("accountnumber", FIN, G_BANK, M_WORD),
	T("accountno", FIN, G_BANK, M_WORD), T("acctnumber", FIN, G_BANK, M_WORD),
	T("acctno", FIN, G_BANK, M_WORD), T("bank", FIN, G_BANK, M_WORD),
	T("bankaccount", FIN, G_BANK, M_WORD), T("routingnumber", FIN, G_BANK, M_WORD),
	T("sortcode", FIN, G_BANK, M_WORD), T("accountholder", FIN, G_BANK, M_WORD),
	T("cardholder", FIN, G_BANK, M_WORD), T("creditscore", FIN, G_BANK, M_WORD),
	T("bankleitzahl", FIN, G_BANK, M_WORD), T("blz", FIN, G_BANK, M_WORD),
	T("kontonummer", FIN, G_BANK, M_WORD), T("bankverbindung", FIN, G_BANK, M_WORD),
	T("kontoinhaber", FIN, G_BANK, M_WORD), T("numerodecompte", FIN, G_BANK, M_WORD),
	T("comptebancaire", FIN, G_BANK, M_WORD), T("rib", FIN, G_BANK, M_WORD),
	T("cuentabancaria", FIN, G_BANK, M_WORD), T("numerodecuenta", FIN, G_BANK, M_WORD),
	T("clabe", FIN, G_BANK, M_WORD),
	T("salary", FIN, G_BANK, M_WORD), T("salaries", FIN, G_BANK, M_WORD),
	T("income", FIN, G_BANK, M_WORD), T("wage", FIN, G_BANK, M_WORD),
	T("wages", FIN, G_BANK, M_WORD), T("gehalt", FIN, G_BANK, M_WORD),
	T("lohn", FIN, G_BANK, M_WORD), T("einkommen", FIN, G_BANK, M_WORD),
	T("salaire", FIN, G_BANK, M_WORD), T("revenu", FIN, G_BANK, M_WORD),
	T("revenus", FIN, G_BANK, M_WORD), T("salario", FIN, G_BANK, M_WORD),
	T("sueldo", FIN, G_BANK, M_WORD), T("ingresos", FIN, G_BANK, M_WORD),
	T("card", FIN, G_CARD, M_WORD), T("creditcard", FIN, G_NONE, M_WORD),
	T("creditcards", FIN, G_NONE, M_WORD), T("debitcard", FIN, G_NONE, M_WORD),
	T("cardnumber", FIN, G_NONE, M_WORD), T("cardno", FIN, G_NONE, M_WORD),
	T("cardnum", FIN, G_NONE, M_WORD), T("ccnumber", FIN, G_NONE, M_WORD),
	T("ccnum", FIN, G_NONE, M_WORD), T("ccno", FIN, G_NONE, M_WORD),
	T("cvv", FIN, G_NONE, M_WORD), T("cvc", FIN, G_NONE, M_WORD),
	T("kreditkarte", FIN, G_NONE, M_WORD), T("kreditkartennummer", FIN, G_NONE, M_WORD),
	T("kartennummer", FIN, G_NONE, M_WORD), T("cartebancaire", FIN, G_NONE, M_WORD),
	T("cartedecredit", FIN, G_NONE, M_WORD), T("numerodecarte", FIN, G_NONE, M_WORD),
	T("tarjeta", FIN, G_NONE, M_WORD), T("numerodetarjeta", FIN, G_NONE, M_WORD),
	/* ---- health ---- */
	T("diagnosis", HLT, G_NONE, M_WORD), T("diagnoses", HLT, G_NONE, M_WORD),
	T("diagnose", HLT, G_NONE, M_WORD), T("diagnosed", HLT, G_NONE, M_WORD),
	T("diagnosen", HLT, G_NONE, M_WORD), T("diagnostico", HLT, G_NONE, M_WORD),
	T("medical", HLT, G_NONE, M_WORD), T("health", HLT, G_HEALTH, M_WORD),
	T("healthinsurance", HLT, G_NONE, M_WORD), T("medication", HLT, G_NONE, M_WORD),
	T("medications", HLT, G_NONE, M_WORD), T("medicine", HLT, G_NONE, M_WORD),
	T("medicines", HLT, G_NONE, M_WORD), T("prescription", HLT, G_NONE, M_WORD),
	T("prescriptions", HLT, G_NONE, M_WORD), T("allergy", HLT, G_NONE, M_WORD),
	T("allergies", HLT, G_NONE, M_WORD), T("allergie", HLT, G_NONE, M_WORD),
	T("allergien", HLT, G_NONE, M_WORD), T("alergia", HLT, G_NONE, M_WORD),
	T("alergias", HLT, G_NONE, M_WORD), T("bloodtype", HLT, G_NONE, M_WORD),
	T("bloodgroup", HLT, G_NONE, M_WORD), T("blutgruppe", HLT, G_NONE, M_WORD),
	T("groupesanguin", HLT, G_NONE, M_WORD), T("gruposanguineo", HLT, G_NONE, M_WORD),
	T("icd", HLT, G_NONE, M_WORD), T("symptom", HLT, G_NONE, M_WORD),
	T("symptoms", HLT, G_NONE, M_WORD), T("disease", HLT, G_NONE, M_WORD),
	T("diseases", HLT, G_NONE, M_WORD), T("illness", HLT, G_NONE, M_WORD),
	T("disability", HLT, G_NONE, M_WORD), T("disabilities", HLT, G_NONE, M_WORD),
	T("patient", HLT, G_NONE, M_WORD), T("mrn", HLT, G_NONE, M_WORD),
	T("vaccination", HLT, G_NONE, M_WORD), T("krankheit", HLT, G_NONE, M_WORD),
	T("krankenkasse", HLT, G_NONE, M_WORD), T("krankenversicherung", HLT, G_NONE, M_WORD),
	T("krankenversicherungsnummer", HLT, G_NONE, M_WORD),
	T("gesundheit", HLT, G_NONE, M_WORD), T("befund", HLT, G_NONE, M_WORD),
	T("medikament", HLT, G_NONE, M_WORD), T("medikamente", HLT, G_NONE, M_WORD),
	T("medikation", HLT, G_NONE, M_WORD), T("behinderung", HLT, G_NONE, M_WORD),
	T("sante", HLT, G_NONE, M_WORD), T("maladie", HLT, G_NONE, M_WORD),
	T("medicament", HLT, G_NONE, M_WORD), T("medicaments", HLT, G_NONE, M_WORD),
	T("salud", HLT, G_NONE, M_WORD), T("enfermedad", HLT, G_NONE, M_WORD),
	T("medicamento", HLT, G_NONE, M_WORD), T("medicamentos", HLT, G_NONE, M_WORD),
	/* ---- credentials ---- */
	T("password", CRD, G_PASS, M_END), T("passwords", CRD, G_PASS, M_WORD),
	T("passwd", CRD, G_PASS, M_WORD), T("pwd", CRD, G_PASS, M_WORD),
	T("pass", CRD, G_PASSW, M_WORD), T("passphrase", CRD, G_PASS, M_WORD),
	T("passcode", CRD, G_PASS, M_WORD), T("passwort", CRD, G_PASS, M_END),
	T("kennwort", CRD, G_PASS, M_WORD), T("motdepasse", CRD, G_PASS, M_WORD),
	T("contrasena", CRD, G_PASS, M_WORD), T("senha", CRD, G_PASS, M_WORD),
	T("wachtwoord", CRD, G_PASS, M_WORD),
	/* ---- secrets ---- */
	T("token", SEC, G_TOKEN, M_END), T("idtoken", SEC, G_TOKEN, M_WORD),
	T("bearer", SEC, G_AUTHZ, M_WORD), T("authorization", SEC, G_AUTHZ, M_WORD),
	T("secret", SEC, G_SECRET, M_END), T("secrets", SEC, G_SECRET, M_WORD),
	T("apikey", SEC, G_SECRET, M_END), T("apikeys", SEC, G_SECRET, M_WORD),
	T("accesskey", SEC, G_SECRET, M_WORD), T("secretkey", SEC, G_SECRET, M_WORD),
	T("privatekey", SEC, G_SECRET, M_WORD), T("signingkey", SEC, G_SECRET, M_WORD),
	T("encryptionkey", SEC, G_SECRET, M_WORD), T("masterkey", SEC, G_SECRET, M_WORD),
	T("subscriptionkey", SEC, G_SECRET, M_WORD), T("authkey", SEC, G_SECRET, M_WORD),
	T("accountkey", SEC, G_SECRET, M_WORD), T("sharedkey", SEC, G_SECRET, M_WORD),
	T("connectionstring", SEC, G_SECRET, M_WORD),
};

/* Words that cancel a hit of any class when they appear elsewhere in the
 * name: the field describes the value (its label, format, count) rather
 * than holding it. */
static const char *const excl_any[] = {
	"label", "labels", "placeholder", "template", "templates", "format", "regex",
	"pattern", "validation", "validator", "validate", "type", "types", "column",
	"col", "count", "enabled", "visible", "required", "description", "desc", "help",
	"hint", "error", "errors", "valid", "invalid", "options", "properties", "fields",
	"settings", "frequency", NULL};

/* The same, only as the first word: booleans ("isMobile", "hasEmail"). */
static const char *const excl_first[] = {"is", "has", "should", "can", "allow", "enable",
                                         "disable", "show", "use", "validate", "include",
                                         "require", NULL};

static const char *const excl_mail[] = {
	"body", "subject", "content", "contents", "html", "text", "message", "messages",
	"attachment", "attachments", "folder", "folders", "server", "host", "port", "config",
	"configuration", "settings", "sent", "send", "sending", "provider", "service",
	"status", "thread", "threads", "inbox", "campaign", "campaigns", "signature", "draft",
	"drafts", "header", "headers", "notification", "notifications", "verified",
	"verification", "confirmed", "optin", "unsubscribe", "bounce", "bounced", "opened",
	"clicks", "tracking", "delivery", "queue", "domain", "client", "app", "box", "merge",
	"betreff", "inhalt", "vorlage", "nachricht", "nachrichten", "anhang", "ordner",
	"versand", "senden", "objet", "corps", "contenu", "modele", "envoi", "envoyer",
	"asunto", "cuerpo", "contenido", "plantilla", "mensaje", "adjunto", "carpeta",
	"enviar", "envio", "blacklisted", "blacklist", "blocklist", "blocked",
	/* "voicemail" ends in e-mail */
	"voic", NULL};

static const char *const excl_phone[] = {
	"app", "model", "brand", "os", "case", "i", "micro", "head", "ear", "mega", "xylo",
	"saxo", "smart", "verified", "verification", "id", NULL};

static const char *const excl_mobile[] = {
	"app", "apps", "view", "friendly", "version", "os", "platform", "browser", "layout",
	"menu", "optimized", "responsive", "web", "device", "devices", "first", "sdk", "push",
	"notification", "notifications", "redirect", "url", "link", "theme", "breakpoint",
	"only", "support", "preview", "width", "mode", "screen", "game", "ua", "insight",
	"id", NULL};

static const char *const excl_nom[] = {
	/* es */
	"archivo", "fichero", "hoja", "documento", "carpeta", "producto", "empresa",
	"compania", "proyecto", "flujo", "tabla", "columna", "campo", "usuario", "equipo",
	"grupo", "lista", "evento", "plantilla", "variable", "servidor", "dominio", "marca",
	"categoria", "pais", "ciudad", "canal", "nodo", "base", "datos",
	/* fr */
	"fichier", "feuille", "dossier", "document", "produit", "entreprise", "societe",
	"projet", "tableau", "colonne", "champ", "utilisateur", "equipe", "groupe", "liste",
	"evenement", "modele", "serveur", "domaine", "compte", "marque", "ville", "pays",
	"canal", "noeud", "domaine",
	/* en, when mixed in */
	"file", "sheet", "folder", "product", "company", "project", "table", "field", "user",
	"node", "workflow", "app", "bucket", "channel", "team", NULL};

static const char *const excl_age[] = {
	"max", "min", "cache", "ttl", "file", "data", "message", "token", "cookie", "session",
	"header", "seconds", "secs", "ms", "days", "hours", "minutes", "password", "key",
	"record", "content", "stale", "link", "item", "post", "log", "backup", NULL};

static const char *const excl_birth[] = {"topic", "qos", "payload", "retain", "msg",
                                         "message", "will", "delay", NULL};

static const char *const excl_addr[] = {
	"server", "host", "hostname", "bind", "listen", "proxy", "gateway", "broker", "node",
	"memory", "base", "web", "website", "site", "url", "smtp", "imap", "pop", "contract",
	"wallet", "local", "loopback", "redirect", "callback", "webhook", "endpoint", "api",
	"service", "book", "bar", "space", "family", "resolution", "translation", "pool",
	"range", "prefix", "mask", "port", "bitcoin", "eth", "ethereum", "token", "relay",
	"peer", "cluster", "database", "db", "redis", "mqtt", "prefixes", "private",
	"public", "outbound", "inbound", "version", "offset", "start", "starting", "min",
	"max", "register", "modbus", "knx", "individual", "i2c", "slave", "coil", "bus",
	"device", "map", "maps", "view", "vm", "nic", "subnet", "vnet", "allowed", NULL};

static const char *const excl_zip[] = {
	"file", "files", "archive", "path", "compress", "compressed", "compression",
	"level", "url", "folder", "output", "extract", "download", "upload", "binary", "data",
	"content", "name", "mode", "entry", "entries", "size", NULL};

static const char *const excl_bank[] = {"holiday", "holidays", "battery", "blood", "food",
                                        "memory", "currency", "formatted", NULL};

static const char *const excl_card[] = {
	"id", "title", "name", "list", "board", "description", "url", "link", "json",
	"layout", "template", "color", "colour", "position", "pos", "adaptive", "hero",
	"thumbnail", "business", "gift", "trello", "kanban", "content", "body", "text",
	"message", "comment", "comments", "label", "member", "members", "due", "attachment",
	"attachments", "checklist", "deck", "style", "image", "icon", "game", "sim",
	"sd", "graphics", "video", "network", "wild", "report", "score", "index", "view",
	"action", "actions", "html", "header", "footer", "cover", "request", "response",
	NULL};

static const char *const excl_health[] = {
	"check", "checks", "endpoint", "url", "path", "status", "probe", "monitor",
	"monitoring", "score", "interval", "timeout", "api", "service", "server", "system",
	"bar", "ping", "live", "ready", "cluster", "node", "port", NULL};

static const char *const excl_pass[] = {
	"policy", "length", "len", "min", "max", "rule", "rules", "strength", "expiry",
	"expires", "expiration", "expire", "changed", "reset", "forgot", "age", "last", "url",
	"link", "page", "screen", "protected", "field", "prompt", "manager", "generator",
	"complexity", "grant", "mode", "authentication", NULL};

static const char *const excl_passw[] = {
	"through", "thru", "fail", "failed", "status", "count", "rate", "result", "results",
	"boarding", "by", "mark", "pass", "first", "second", "multi", "single", "render",
	"shader", "season", "day", "event", "reset", "forgot", "length", "policy", "url",
	"manager", NULL};

static const char *const excl_token[] = {
	"lock", "page", "next", "continuation", "skip", "sync", "cancellation", "cancel",
	"limit", "limits", "max", "min", "used", "usage", "pagination", "cursor", "expiry",
	"expires", "expiration", "expire", "url", "uri", "endpoint", "length", "input",
	"output", "prompt", "completion", "total", "estimate", "budget", "cost", "price", "per",
	"rate", "name", "id", "csrf", "xsrf", "audience", "issuer", "lifetime", "ttl",
	"position", "index", "offset", "start", "end", "stream", "embedding", "embeddings",
	"text", "counter", "continue", "resume", "request", "response", "path", "file",
	"env", "var", "variable", "ref", "reference", "field", "location", "kind", "size",
	"probability", "probabilities", "logprob", "logprobs", "splitter", "metrics",
	"usage", "classifier", NULL};

static const char *const excl_authz[] = {"url", "uri", "endpoint", "method", "scheme",
                                         "mode", "required", "status", "server", "code",
                                         "path", "file", "name", "source", "rule", "rules",
                                         NULL};

static const char *const excl_secret[] = {
	"name", "id", "arn", "ref", "reference", "path", "file", "env", "var", "variable",
	"version", "manager", "store", "length", "rotation", "scanning", "url", "uri",
	"public", "publishable", "location", "source", "provider", "header", "field",
	"agent", "service", "question", "answer", "level", "non", NULL};

static const char *const *const excl_groups[G_NGROUPS] = {
	[G_NONE] = NULL,          [G_MAIL] = excl_mail,     [G_PHONE] = excl_phone,
	[G_MOBILE] = excl_mobile, [G_NOM] = excl_nom,       [G_AGE] = excl_age,
	[G_BIRTH] = excl_birth,   [G_ADDR] = excl_addr,     [G_ZIP] = excl_zip,
	[G_BANK] = excl_bank,     [G_CARD] = excl_card,     [G_HEALTH] = excl_health,
	[G_PASS] = excl_pass,     [G_PASSW] = excl_passw,   [G_TOKEN] = excl_token,
	[G_AUTHZ] = excl_authz,   [G_SECRET] = excl_secret,
};

/* Is the slice [p, p+n) one of list's words? */
static int in_list(const char *const *list, const char *p, size_t n)
{
	size_t i;

	if (!list)
		return 0;
	for (i = 0; list[i]; i++)
		if (strlen(list[i]) == n && memcmp(list[i], p, n) == 0)
			return 1;
	return 0;
}

/*
 * Is [p, p+n), the first part of a compound ("nextpage" in
 * "nextpagetoken"), one of list's words or does it end with one of four or
 * more letters? Shorter words must match whole: "admintoken" is not
 * cancelled by "min", nor "developertoken" by "per".
 */
static int ends_with_listed(const char *const *list, const char *p, size_t n)
{
	size_t i;

	if (!list)
		return 0;
	for (i = 0; list[i]; i++) {
		size_t k = strlen(list[i]);
		if (k == n || (k >= 4 && k < n))
			if (memcmp(list[i], p + n - k, k) == 0)
				return 1;
	}
	return 0;
}

static size_t word_end(const name_words *w, size_t i)
{
	return i + 1 < w->nwords ? w->start[i + 1] : w->len;
}

/*
 * Is the hit [s, e) of a term of group grp cancelled? pre is where the word
 * holding s begins (< s for a compound: "lieferadresse").
 */
static int excluded(const name_words *w, size_t s, size_t e, size_t pre, int grp)
{
	const char *const *list = excl_groups[grp];
	size_t i;

	if (pre < s && ends_with_listed(list, w->text + pre, s - pre))
		return 1;
	for (i = 0; i < w->nwords; i++) {
		size_t ws = w->start[i], we = word_end(w, i);
		if (ws >= pre && we <= e)
			continue;       /* a word of the hit itself */
		if (in_list(excl_any, w->text + ws, we - ws) || in_list(list, w->text + ws, we - ws))
			return 1;
		if (i == 0 && in_list(excl_first, w->text + ws, we - ws))
			return 1;
	}
	return 0;
}

/* Chinese and Japanese terms: substrings of the joined text. */
typedef struct wide_term {
	const char *w;
	uint8_t cls;
	uint8_t grp; /* 1 = e-mail, 2 = address: check wide exclusions */
} wide_term;

static const wide_term wide_terms[] = {
	{"邮箱", PII, 1},     {"郵箱", PII, 1},     {"电子邮件", PII, 1}, {"電子郵件", PII, 1},
	{"邮件地址", PII, 1}, {"メール", PII, 1},
	{"手机", PII, 0},     {"手機", PII, 0},     {"电话", PII, 0},     {"電話", PII, 0},
	{"身份证", PII, 0},   {"身份證", PII, 0},   {"出生日期", PII, 0}, {"生日", PII, 0},
	{"生年月日", PII, 0}, {"地址", PII, 2},     {"住址", PII, 0},     {"住所", PII, 0},
	{"姓名", PII, 0},     {"氏名", PII, 0},     {"邮编", PII, 0},     {"郵編", PII, 0},
	{"护照", PII, 0},     {"護照", PII, 0},     {"性别", PII, 0},     {"性別", PII, 0},
	{"年龄", PII, 0},     {"年齡", PII, 0},
	{"银行卡", FIN, 0},   {"銀行卡", FIN, 0},   {"银行账号", FIN, 0}, {"銀行帳號", FIN, 0},
	{"银行账户", FIN, 0}, {"卡号", FIN, 0},     {"卡號", FIN, 0},     {"信用卡", FIN, 0},
	{"工资", FIN, 0},     {"工資", FIN, 0},     {"薪资", FIN, 0},     {"薪資", FIN, 0},
	{"薪水", FIN, 0},     {"收入", FIN, 0},     {"給与", FIN, 0},
	{"诊断", HLT, 0},     {"診斷", HLT, 0},     {"病历", HLT, 0},     {"病歷", HLT, 0},
	{"病史", HLT, 0},     {"过敏", HLT, 0},     {"過敏", HLT, 0},     {"医疗", HLT, 0},
	{"醫療", HLT, 0},     {"血型", HLT, 0},     {"疾病", HLT, 0},     {"用药", HLT, 0},
	{"密码", CRD, 0},     {"密碼", CRD, 0},     {"口令", CRD, 0},     {"パスワード", CRD, 0},
	{"密钥", SEC, 0},     {"密鑰", SEC, 0},     {"秘钥", SEC, 0},     {"令牌", SEC, 0},
};

static const char *const wide_excl_mail[] = {"主题", "主題", "内容", "內容", "正文", "模板",
                                             "标题", "標題", "附件", "服务器", "服務器",
                                             "件名", "本文", NULL};
static const char *const wide_excl_addr[] = {"服务器", "服務器", "网关", "網關", "代理",
                                             "回调", "接口", "钱包", "錢包", NULL};

static int contains(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return 1;
	return 0;
}

static wd_class wide_class(const name_words *w, wd_class best)
{
	size_t i, j;

	for (i = 0; i < sizeof(wide_terms) / sizeof(*wide_terms); i++) {
		const wide_term *t = &wide_terms[i];
		const char *const *ex = t->grp == 1 ? wide_excl_mail : t->grp == 2 ? wide_excl_addr : NULL;
		int skip = 0;

		if (t->cls <= best || !contains(w->text, w->len, t->w))
			continue;
		for (j = 0; ex && ex[j]; j++)
			if (contains(w->text, w->len, ex[j]))
				skip = 1;
		if (!skip)
			best = (wd_class)t->cls;
	}
	return best;
}

wd_class wd_detect_class_of_name(wd_str name)
{
	name_words w;
	wd_class best = WD_CLASS_NONE;
	uint32_t initials = 0;   /* first letters of the words, a..z */
	size_t i, t;

	words_split(&w, name);
	for (i = 0; i < w.nwords; i++) {
		char c = w.text[w.start[i]];
		if (c >= 'a' && c <= 'z')
			initials |= 1u << (c - 'a');
	}
	for (t = 0; t < sizeof(terms) / sizeof(*terms); t++) {
		const name_term *term = &terms[t];
		size_t k = term->len;

		if (term->cls <= best)
			continue;
		/* most terms cannot start any word here: skip them cheaply */
		if (term->mode == M_WORD && !(initials & (1u << (term->w[0] - 'a'))))
			continue;
		for (i = 0; i < w.nwords; i++) {
			size_t ws = w.start[i], we = word_end(&w, i), s;

			/* whole words from here */
			if (ws + k <= w.len && w.bound[ws + k] && w.text[ws] == term->w[0] &&
			    memcmp(w.text + ws, term->w, k) == 0 && !excluded(&w, ws, ws + k, ws, term->grp)) {
				best = (wd_class)term->cls;
				break;
			}
			/* the end of a compound word */
			if (term->mode == M_END && we - ws > k) {
				s = we - k;
				if (memcmp(w.text + s, term->w, k) == 0 && !excluded(&w, s, we, ws, term->grp)) {
					best = (wd_class)term->cls;
					break;
				}
			}
		}
	}
	if (w.has_wide && best < WD_CLASS_SECRET)
		best = wide_class(&w, best);
	return best;
}

/* ===================================================================== */
/* Values                                                                */
/* ===================================================================== */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static char to_upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

static int lower_eq(const char *p, size_t n, const char *lit)
{
	size_t i;

	if (strlen(lit) != n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = p[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != lit[i])
			return 0;
	}
	return 1;
}

static wd_str trim(wd_str s)
{
	while (s.len && is_space(s.ptr[0])) {
		s.ptr++;
		s.len--;
	}
	while (s.len && is_space(s.ptr[s.len - 1]))
		s.len--;
	return s;
}

/* ---- cards ---- */

/* Known issuer prefix with a length it issues. */
static int card_brand_ok(const char *d, size_t n)
{
	unsigned p2 = (unsigned)(d[0] - '0') * 10 + (unsigned)(d[1] - '0');
	unsigned p4 = p2 * 100 + (unsigned)(d[2] - '0') * 10 + (unsigned)(d[3] - '0');

	if (d[0] == '4')                             /* Visa */
		return n == 13 || n == 16 || n == 19;
	if (p2 >= 51 && p2 <= 55)                     /* Mastercard */
		return n == 16;
	if (p4 >= 2221 && p4 <= 2720)                 /* Mastercard 2-series */
		return n == 16;
	if (p2 == 34 || p2 == 37)                     /* American Express */
		return n == 15;
	if (p2 == 35)                                 /* JCB */
		return n >= 16 && n <= 19;
	if (p2 == 36)                                 /* Diners Club International */
		return n >= 14 && n <= 19;
	if (d[0] == '6')                              /* Discover, UnionPay, Maestro */
		return n >= 16 && n <= 19;
	return 0;
}

/*
 * Checksums are detect/validate.c's (wd_luhn_ok, wd_iban_ok); the shape
 * checks here come first so that only plausible candidates reach them.
 *
 * 13-19 digits, optionally in groups split by single spaces or single dashes
 * (one kind only), known brand, Luhn.
 */
static int is_card(wd_str v)
{
	char d[24];
	size_t i, n = 0;
	char sep = 0;

	if (v.len < 13 || v.len > 23 || !is_digit(v.ptr[0]) || !is_digit(v.ptr[v.len - 1]))
		return 0;
	for (i = 0; i < v.len; i++) {
		char c = v.ptr[i];
		if (is_digit(c)) {
			if (n == sizeof(d))
				return 0;
			d[n++] = c;
		} else if (c == ' ' || c == '-') {
			if (sep && c != sep)
				return 0;
			if (!is_digit(v.ptr[i - 1]))
				return 0;
			sep = c;
		} else {
			return 0;
		}
	}
	if (n < 13 || n > 19)
		return 0;
	return card_brand_ok(d, n) && wd_luhn_ok(wd_str_make(d, n));
}

/* ---- IBAN ---- */

typedef struct iban_country {
	char cc[3];
	uint8_t len;
	const char *bban;   /* shape: count + n (digit) / a (letter) / c (either); NULL = length only */
} iban_country;

/* ISO 13616 registry lengths; BBAN shapes for the common countries. */
static const iban_country iban_countries[] = {
	{"AD", 24, NULL},  {"AE", 23, NULL},          {"AL", 28, NULL},
	{"AT", 20, "16n"}, {"AZ", 28, NULL},          {"BA", 20, NULL},
	{"BE", 16, "12n"}, {"BG", 22, NULL},          {"BH", 22, NULL},
	{"BR", 29, NULL},  {"BY", 28, NULL},          {"CH", 21, "5n12c"},
	{"CR", 22, NULL},  {"CY", 28, NULL},          {"CZ", 24, "20n"},
	{"DE", 22, "18n"}, {"DK", 18, "14n"},         {"DO", 28, NULL},
	{"EE", 20, "16n"}, {"EG", 29, NULL},          {"ES", 24, "20n"},
	{"FI", 18, "14n"}, {"FO", 18, NULL},          {"FR", 27, "10n11c2n"},
	{"GB", 22, "4a14n"}, {"GE", 22, NULL},        {"GI", 23, NULL},
	{"GL", 18, NULL},  {"GR", 27, NULL},          {"GT", 28, NULL},
	{"HR", 21, "17n"}, {"HU", 28, "24n"},         {"IE", 22, "4a14n"},
	{"IL", 23, NULL},  {"IQ", 23, NULL},          {"IS", 26, NULL},
	{"IT", 27, "1a10n12c"}, {"JO", 30, NULL},     {"KW", 30, NULL},
	{"KZ", 20, NULL},  {"LB", 28, NULL},          {"LC", 32, NULL},
	{"LI", 21, "5n12c"}, {"LT", 20, "16n"},       {"LU", 20, "3n13c"},
	{"LV", 21, NULL},  {"MC", 27, NULL},          {"MD", 24, NULL},
	{"ME", 22, NULL},  {"MK", 19, NULL},          {"MR", 27, NULL},
	{"MT", 31, NULL},  {"MU", 30, NULL},          {"NL", 18, "4a10n"},
	{"NO", 15, "11n"}, {"PK", 24, NULL},          {"PL", 28, "24n"},
	{"PS", 29, NULL},  {"PT", 25, "21n"},         {"QA", 29, NULL},
	{"RO", 24, NULL},  {"RS", 22, NULL},          {"SA", 24, NULL},
	{"SC", 31, NULL},  {"SE", 24, "20n"},         {"SI", 19, "15n"},
	{"SK", 24, "20n"}, {"SM", 27, NULL},          {"ST", 25, NULL},
	{"SV", 28, NULL},  {"TL", 23, NULL},          {"TN", 24, NULL},
	{"TR", 26, NULL},  {"UA", 29, NULL},          {"VA", 22, NULL},
	{"VG", 24, NULL},  {"XK", 20, NULL},
};

static int bban_shape_ok(const char *b, size_t n, const char *shape)
{
	size_t pos = 0;

	while (*shape) {
		size_t count = 0, i;
		char kind;

		while (is_digit(*shape))
			count = count * 10 + (size_t)(*shape++ - '0');
		kind = *shape++;
		if (pos + count > n)
			return 0;
		for (i = 0; i < count; i++) {
			char c = b[pos + i];
			if (kind == 'n' && !is_digit(c))
				return 0;
			if (kind == 'a' && !(c >= 'A' && c <= 'Z'))
				return 0;
		}
		pos += count;
	}
	return pos == n;
}

/* Upper-cased, optionally in space-separated groups; country length, shape, mod 97. */
static int is_iban(wd_str v)
{
	char s[40];
	size_t i, n = 0;
	const iban_country *c = NULL;

	if (v.len < 15 || v.len > 42)
		return 0;
	for (i = 0; i < v.len; i++) {
		char ch = v.ptr[i];
		if (ch == ' ') {
			if (i == 0 || v.ptr[i - 1] == ' ')
				return 0;
			continue;
		}
		if (!is_digit(ch) && !is_alpha(ch))
			return 0;
		if (n == 34)
			return 0;
		s[n++] = to_upper(ch);
	}
	if (n < 15 || !is_alpha(s[0]) || !is_alpha(s[1]) || !is_digit(s[2]) || !is_digit(s[3]))
		return 0;
	for (i = 0; i < sizeof(iban_countries) / sizeof(*iban_countries); i++)
		if (iban_countries[i].cc[0] == s[0] && iban_countries[i].cc[1] == s[1])
			c = &iban_countries[i];
	if (!c || c->len != n)
		return 0;
	if (c->bban && !bban_shape_ok(s + 4, n - 4, c->bban))
		return 0;
	for (i = 4; i < n; i++)   /* the BBAN needs digits: not a word that happens to fit */
		if (is_digit(s[i]))
			break;
	if (i == n)
		return 0;
	return wd_iban_ok(wd_str_make(s, n));
}

/* ---- e-mail ---- */

static int local_char(char c)
{
	return is_digit(c) || is_alpha(c) || c == '.' || c == '_' || c == '%' || c == '+' ||
	       c == '-';
}

static int domain_char(char c)
{
	return is_digit(c) || is_alpha(c) || c == '.' || c == '-';
}

/* Characters that may end a delimited address inside text. */
static int right_delim(char c)
{
	return is_space(c) || c == '>' || c == ')' || c == ']' || c == '"' || c == '\'' ||
	       c == ',' || c == ';' || c == '.' || c == '!' || c == '?';
}

static int left_delim(const char *p, size_t at)
{
	char c;

	if (at == 0)
		return 1;
	c = p[at - 1];
	if (c == ':')   /* mailto:x@y.z, not scheme://user:pass@host */
		return at >= 7 && lower_eq(p + at - 7, 6, "mailto");
	return is_space(c) || c == '<' || c == '(' || c == '[' || c == '"' || c == '\'' ||
	       c == ',' || c == ';';
}

/* Top-level domains that name files or reserved test domains, not mailboxes. */
static int bad_tld(const char *t, size_t n)
{
	static const char *const bad[] = {"png", "jpg", "jpeg", "gif", "svg", "webp", "bmp",
	                                  "ico", "js", "mjs", "ts", "css", "json", "html", "htm",
	                                  "txt", "md", "pdf", "csv", "xml", "yaml", "yml", "test",
	                                  "example", "invalid", "localhost", "local", "internal",
	                                  NULL};
	size_t i;

	for (i = 0; bad[i]; i++)
		if (lower_eq(t, n, bad[i]))
			return 1;
	return 0;
}

/*
 * Machine identifiers shaped like addresses: Message-IDs (<uuid@host>,
 * <long-random@mail.gmail.com>), Google Calendar ids (<hex>@group.calendar
 * .google.com), service accounts. People's mailboxes are short and not hex.
 */
static int machine_address(const char *p, size_t ls, size_t at, size_t de)
{
	static const char *const domains[] = {".calendar.google.com", ".gserviceaccount.com",
	                                      NULL};
	size_t i, n = at - ls, hex = 0, dashes = 0;

	if (n > 48)
		return 1;
	for (i = ls; i < at; i++) {
		char c = p[i];
		if (is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
			hex++;
		else if (c == '-')
			dashes++;
	}
	if (n >= 24 && hex + dashes == n)
		return 1;   /* uuid, sha-256 */
	for (i = 0; domains[i]; i++) {
		size_t k = strlen(domains[i]);
		if (de - at >= k && lower_eq(p + de - k, k, domains[i]))
			return 1;
	}
	return 0;
}

static int email_parts_ok(const char *p, size_t ls, size_t at, size_t de)
{
	size_t i, label = 0, labels = 0, tld = 0, tld_start = 0;
	int tld_alpha = 1;

	/* local part: 1..64, no dot at either end, no ".." */
	if (at - ls < 1 || at - ls > 64 || p[ls] == '.' || p[at - 1] == '.')
		return 0;
	for (i = ls + 1; i < at; i++)
		if (p[i] == '.' && p[i - 1] == '.')
			return 0;
	if (machine_address(p, ls, at, de))
		return 0;
	/* domain: labels of 1..63 [A-Za-z0-9-], no '-' at either end, >= 2 labels,
	 * alphabetic TLD of 2..24 (or xn--) */
	if (de - at - 1 < 4 || de - at - 1 > 253)
		return 0;
	for (i = at + 1; i <= de; i++) {
		if (i == de || p[i] == '.') {
			if (label == 0 || label > 63 || p[i - 1] == '-' || p[i - label] == '-')
				return 0;
			labels++;
			tld = label;
			tld_start = i - label;
			label = 0;
			continue;
		}
		label++;
	}
	if (labels < 2 || tld < 2 || tld > 24)
		return 0;
	for (i = tld_start; i < de; i++)
		if (!is_alpha(p[i]))
			tld_alpha = 0;
	if (!tld_alpha && !(tld > 4 && lower_eq(p + tld_start, 4, "xn--")))
		return 0;
	return !bad_tld(p + tld_start, tld);
}

/*
 * An address that is the whole value (after "mailto:" or inside "<...>")
 * or stands between delimiters inside a short text.
 */
static int has_email(wd_str v)
{
	const char *p = v.ptr;
	size_t i;

	for (i = 1; i + 1 < v.len; i++) {
		size_t ls = i, de = i + 1;

		if (p[i] != '@')
			continue;
		while (ls > 0 && local_char(p[ls - 1]))
			ls--;
		while (de < v.len && domain_char(p[de]))
			de++;
		/* a trailing dot ends the sentence, not the domain */
		while (de > i + 1 && p[de - 1] == '.')
			de--;
		if (!left_delim(p, ls))
			continue;
		if (de < v.len && !right_delim(p[de]))
			continue;   /* user@host:path, user@host/path, a@b@c */
		if (email_parts_ok(p, ls, i, de))
			return 1;
	}
	return 0;
}

/* ---- phone ---- */

/*
 * The whole value is a phone number:
 *  - "+" then 8..15 digits (E.164), the first not 0, separators allowed;
 *  - otherwise 9..12 digits (11..15 after an "00" international prefix)
 *    with at least one separator, groups of 2..8 digits (one digit only for
 *    a leading trunk/country code), and not shaped like a date, a ZIP+4
 *    code, a dotted quad or a thousands-grouped amount.
 * Separators: single space, '-', '.', '/', or one "(...)" group.
 */
static int is_phone(wd_str v)
{
	const char *p = v.ptr;
	size_t n = v.len, i = 0, digits = 0, groups = 0, cur = 0, nsep = 0;
	size_t glen[20];
	char sep_kind = 0, first_sep = 0;
	int plus = 0, mixed = 0, parens = 0, in_paren = 0;
	char first[3] = {0, 0, 0};

	if (n >= 4 && lower_eq(p, 4, "tel:")) {
		p += 4;
		n -= 4;
	}
	if (n == 0 || n > 32)
		return 0;
	if (p[0] == '+') {
		plus = 1;
		i = 1;
	}
	for (; i <= n; i++) {
		char c = i < n ? p[i] : '\0';

		if (i < n && is_digit(c)) {
			if (digits < 2)
				first[digits] = c;
			digits++;
			cur++;
			continue;
		}
		/* a group ends */
		if (cur) {
			if (groups == sizeof(glen) / sizeof(*glen))
				return 0;
			glen[groups++] = cur;
			cur = 0;
		}
		if (i == n)
			break;
		if (c == '(') {
			if (parens || in_paren)
				return 0;
			parens = in_paren = 1;
			if (i + 1 >= n || !is_digit(p[i + 1]))
				return 0;
			continue;
		}
		if (c == ')') {
			if (!in_paren || !is_digit(p[i - 1]))
				return 0;
			in_paren = 0;
			if (i + 1 < n && p[i + 1] == ' ')
				i++;
			nsep++;
			continue;
		}
		if (c == ' ' || c == '-' || c == '.' || c == '/') {
			/* one separator between digits or after ")" */
			if (i == 0 || i + 1 >= n)
				return 0;
			if (!is_digit(p[i - 1]) && p[i - 1] != ')' && !(plus && i == 1))
				return 0;
			if (!is_digit(p[i + 1]) && p[i + 1] != '(')
				return 0;
			if (sep_kind && sep_kind != c)
				mixed = 1;
			if (!first_sep)
				first_sep = c;
			sep_kind = c;
			nsep++;
			continue;
		}
		return 0;
	}
	if (in_paren || groups == 0)
		return 0;
	if (plus)
		return digits >= 8 && digits <= 15 && first[0] != '0';
	/* national formats */
	if (nsep == 0)
		return 0;
	if (first[0] == '0' && first[1] == '0') {
		if (digits < 11 || digits > 15)
			return 0;
	} else if (digits < 9 || digits > 12) {
		return 0;
	}
	for (i = 0; i < groups; i++) {
		if (glen[i] > 8)
			return 0;
		if (glen[i] < 2 && i != 0)
			return 0;
	}
	/* dates and year-prefixed ids: 2024-01-15..., 2024/000123, 2023-09-04.02 */
	if (glen[0] == 4 && (first_sep == '-' || first_sep == '/' || first_sep == '.') &&
	    ((first[0] == '1' && first[1] == '9') || (first[0] == '2' && first[1] == '0')))
		return 0;
	/* dotted numbers are mostly decimals, coordinates and versions: only the
	 * dotted phone styles 555.123.4567 and 06.12.34.56.78 / 0470.12.34.56 */
	if (sep_kind == '.' && !mixed && !parens) {
		int pairs = groups >= 4 && glen[0] >= 2 && glen[0] <= 4;

		for (i = 1; i < groups && pairs; i++)
			if (glen[i] != 2)
				pairs = 0;
		if (!pairs && !(groups == 3 && glen[0] == 3 && glen[1] == 3 && glen[2] == 4))
			return 0;
	}
	if (!parens && !mixed) {
		int thousands = glen[0] <= 3 && groups >= 3;

		/* 1 234 567 890, 12.345.678.901: an amount */
		for (i = 1; i < groups && thousands; i++)
			if (glen[i] != 3)
				thousands = 0;
		if (thousands && sep_kind != '-')
			return 0;
		/* ZIP+4 */
		if (groups == 2 && glen[0] == 5 && glen[1] == 4 && sep_kind == '-')
			return 0;
	}
	return 1;
}

/*
 * Values longer than PII_MAX_BYTES are documents (prompts, bodies, code),
 * not fields: they are not classified here; the secret matcher scans them.
 */
wd_class wd_detect_class_of_value(wd_str value)
{
	wd_str v;

	if (!value.ptr || value.len == 0 || value.len > PII_MAX_BYTES)
		return WD_CLASS_NONE;
	v = trim(value);
	if (v.len == 0)
		return WD_CLASS_NONE;
	if (is_iban(v) || is_card(v))
		return WD_CLASS_FINANCIAL;
	if (has_email(v) || is_phone(v))
		return WD_CLASS_PII;
	return WD_CLASS_NONE;
}
