/*
 * test_detect_pii.c - personal and sensitive data from field names (several
 * languages) and from values (e-mail, phone, card, IBAN), with the decoys
 * that must stay unclassified.
 *
 * Each table runs whole: every failing case is printed, then the test fails
 * once, so one run shows all the regressions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "warden/detect.h"

typedef struct pii_case {
	const char *in;
	wd_class want;
} pii_case;

#define NONE WD_CLASS_NONE
#define PII WD_CLASS_PII
#define FIN WD_CLASS_FINANCIAL
#define HLT WD_CLASS_HEALTH
#define CRD WD_CLASS_CREDENTIAL
#define SEC WD_CLASS_SECRET

/* ---- names ------------------------------------------------------------ */

static const pii_case name_cases[] = {
	/* English: personal data */
	{"email", PII},
	{"Email Address", PII},
	{"e-mail", PII},
	{"E_MAIL", PII},
	{"eMail", PII},
	{"emailAddress", PII},
	{"emailaddress", PII},
	{"user_email", PII},
	{"customerEmail", PII},
	{"useremail", PII},
	{"What is your email address?", PII},
	{"phone", PII},
	{"Phone Number", PII},
	{"phoneNumber", PII},
	{"mobile", PII},
	{"mobile_number", PII},
	{"homePhone", PII},
	{"telephone", PII},
	{"tel", PII},
	{"ssn", PII},
	{"SSN", PII},
	{"social_security_number", PII},
	{"dob", PII},
	{"DOB", PII},
	{"date_of_birth", PII},
	{"dateOfBirth", PII},
	{"birthday", PII},
	{"birthdate", PII},
	{"age", PII},
	{"Age", PII},
	{"gender", PII},
	{"passport", PII},
	{"passport_number", PII},
	{"national_id", PII},
	{"tax_id", PII},
	{"taxId", PII},
	{"address", PII},
	{"billing_address", PII},
	{"shippingAddress", PII},
	{"homeaddress", PII},
	{"street", PII},
	{"zip", PII},
	{"zip_code", PII},
	{"postcode", PII},
	{"postal_code", PII},
	{"first_name", PII},
	{"firstName", PII},
	{"FirstName", PII},
	{"last name", PII},
	{"lastname", PII},
	{"full name", PII},
	{"Your name", PII},
	{"ip_address", PII},
	{"ipAddress", PII},
	{"IPAddress", PII},
	{"Email (E)", PII},
	/* English: financial */
	{"iban", FIN},
	{"IBAN", FIN},
	{"bic", FIN},
	{"account_number", FIN},
	{"accountNumber", FIN},
	{"bank_account", FIN},
	{"bank", FIN},
	{"card", FIN},
	{"credit_card", FIN},
	{"creditCardNumber", FIN},
	{"card_number", FIN},
	{"cvv", FIN},
	{"CVV2", FIN},
	{"salary", FIN},
	{"income", FIN},
	{"routing_number", FIN},
	/* English: health */
	{"diagnosis", HLT},
	{"medical", HLT},
	{"medical_history", HLT},
	{"health", HLT},
	{"allergies", HLT},
	{"Do you have any allergies?", HLT},
	{"medication", HLT},
	{"blood_type", HLT},
	{"health_insurance_number", HLT},
	{"patient_id", HLT},
	/* credentials and secrets */
	{"password", CRD},
	{"Password", CRD},
	{"passwd", CRD},
	{"pwd", CRD},
	{"db_password", CRD},
	{"smtpPassword", CRD},
	{"userpassword", CRD},
	{"passphrase", CRD},
	{"api_key", SEC},
	{"apiKey", SEC},
	{"x-api-key", SEC},
	{"API_KEY", SEC},
	{"openaiapikey", SEC},
	{"secret", SEC},
	{"client_secret", SEC},
	{"clientSecret", SEC},
	{"webhooksecret", SEC},
	{"token", SEC},
	{"access_token", SEC},
	{"accessToken", SEC},
	{"accesstoken", SEC},
	{"refresh_token", SEC},
	{"id_token", SEC},
	{"bot_token", SEC},
	{"Authorization", SEC},
	{"private_key", SEC},
	{"aws_secret_access_key", SEC},
	{"email_password", CRD},
	/* German */
	{"E-Mail-Adresse", PII},
	{"E-Mail", PII},
	{"Telefon", PII},
	{"Telefonnummer", PII},
	{"Handynummer", PII},
	{"Geburtsdatum", PII},
	{"Anschrift", PII},
	{"Straße", PII},
	{"STRASSE", PII},
	{"Lieferadresse", PII},
	{"PLZ", PII},
	{"Vorname", PII},
	{"Nachname", PII},
	{"Kontonummer", FIN},
	{"Gehalt", FIN},
	{"Diagnose", HLT},
	{"Krankenkasse", HLT},
	{"Passwort", CRD},
	/* French */
	{"courriel", PII},
	{"adresse e-mail", PII},
	{"Adresse e-mail", PII},
	{"téléphone", PII},
	{"Téléphone", PII},
	{"date de naissance", PII},
	{"adresse", PII},
	{"prénom", PII},
	{"Prénom", PII},
	{"prénoms", PII},
	{"nom de famille", PII},
	{"Nom", PII},
	{"salaire", FIN},
	{"mot de passe", CRD},
	{"Mot_de_passe", CRD},
	/* Spanish (the corpus has "Correo electrónico (E)", "Dirección  (C)") */
	{"correo", PII},
	{"correo electrónico", PII},
	{"Correo electrónico (E)", PII},
	{"teléfono", PII},
	{"Telefono (D)", PII},
	{"fecha de nacimiento", PII},
	{"dirección", PII},
	{"Dirección  (C)", PII},
	{"nombre", PII},
	{"Nombre completo", PII},
	{"apellido", PII},
	{"salario", FIN},
	{"contraseña", CRD},
	{"Contraseña", CRD},
	/* Chinese and Japanese */
	{"邮箱", PII},
	{"电子邮件", PII},
	{"手机", PII},
	{"手机号", PII},
	{"电话", PII},
	{"联系电话", PII},
	{"身份证", PII},
	{"身份证号码", PII},
	{"出生日期", PII},
	{"地址", PII},
	{"IP地址", PII},
	{"姓名", PII},
	{"客户姓名", PII},
	{"银行卡", FIN},
	{"银行卡号", FIN},
	{"工资", FIN},
	{"密码", CRD},
	{"登录密码", CRD},
	{"API密钥", SEC},
	{"メールアドレス", PII},
	{"パスワード", CRD},

	/* ---- exclusions: not personal data ---- */
	{"emailBody", NONE},
	{"email_body", NONE},
	{"mail_subject", NONE},
	{"emailSubject", NONE},
	{"email_template", NONE},
	{"sendEmail", NONE},
	{"emailVerified", NONE},
	{"mailbox_folder", NONE},
	{"mailbox", NONE},
	{"gmail", NONE},
	{"hotmail", NONE},
	{"Crear asunto correo", NONE},
	{"Betreff der E-Mail", NONE},
	{"邮件主题", NONE},
	{"电子邮件内容", NONE},
	{"lockToken", NONE},
	{"nextPageToken", NONE},
	{"next_page_token", NONE},
	{"nextpagetoken", NONE},
	{"max_tokens", NONE},
	{"maxTokens", NONE},
	{"tokens_used", NONE},
	{"token_type", NONE},
	{"tokenUrl", NONE},
	{"token_endpoint", NONE},
	{"tokenizer", NONE},
	{"csrf_token", NONE},
	{"continuationToken", NONE},
	{"secret_name", NONE},
	{"secretId", NONE},
	{"api_key_name", NONE},
	{"public_key", NONE},
	{"primary_key", NONE},
	{"key", NONE},
	{"password_policy", NONE},
	{"passwordLength", NONE},
	{"forgot_password_url", NONE},
	{"passThrough", NONE},
	{"cardinality", NONE},
	{"dashboard", NONE},
	{"card_id", NONE},
	{"cardTitle", NONE},
	{"adaptive_card", NONE},
	{"card_type", NONE},
	{"adobe", NONE},
	{"adobe_id", NONE},
	{"message", NONE},
	{"page", NONE},
	{"image", NONE},
	{"usage", NONE},
	{"max_age", NONE},
	{"maxAge", NONE},
	{"cache_age", NONE},
	{"serverAddress", NONE},
	{"server_address", NONE},
	{"webaddress", NONE},
	{"bind_address", NONE},
	{"wallet_address", NONE},
	{"服务器地址", NONE},
	{"zipFile", NONE},
	{"zip_path", NONE},
	{"healthCheck", NONE},
	{"health_check_url", NONE},
	{"isMobile", NONE},
	{"mobile_app", NONE},
	{"has_phone", NONE},
	{"iphone", NONE},
	{"microphone", NONE},
	{"phone_type", NONE},
	{"bank_holiday", NONE},
	{"nombre de archivo", NONE},
	{"Nombre de la hoja", NONE},
	{"nom du fichier", NONE},
	{"name", NONE},
	{"username", NONE},
	{"user_name", NONE},
	{"fileName", NONE},
	{"address_family", NONE},
	{"diagnostics", NONE},
	{"email_count", NONE},
	{"id", NONE},
	{"url", NONE},
	{"status", NONE},
	{"Sticky Note", NONE},
	{"", NONE},
};

/* ---- values ----------------------------------------------------------- */

static const pii_case value_cases[] = {
	/* e-mail */
	{"john.doe@acme.com", PII},
	{"  jane+news@mail.example.co.uk \n", PII},
	{"a@b.io", PII},
	{"first_last-99@sub.domain.org", PII},
	{"mailto:someone@company.de", PII},
	{"Jane Doe <jane@acme.com>", PII},
	{"Contact: support@acme.com.", PII},
	{"reach me at bob@corp.fr, thanks", PII},
	{"user@xn--bcher-kva.ch", PII},
	{"user@example.xn--p1ai", PII},
	{"not an email", NONE},
	{"user@localhost", NONE},
	{"user@host", NONE},
	{"@parameters('email')", NONE},
	{"{{ $json.email }}", NONE},
	{"john@", NONE},
	{"@acme.com", NONE},
	{"john..doe@acme.com", NONE},
	{".john@acme.com", NONE},
	{"john@acme..com", NONE},
	{"john@-acme.com", NONE},
	{"john@acme.c", NONE},
	{"john@acme.123", NONE},
	{"git@github.com:org/repo.git", NONE},
	{"https://user:pass@api.acme.com/v1", NONE},
	{"icon@2x.png", NONE},
	{"lodash@4.17.21", NONE},
	{"@scope/package", NONE},
	{"john doe@acme.com", PII},  /* "doe@acme.com" is delimited by the space */
	{"user@example.test", NONE},
	{"a@b@c.com", NONE},
	/* Message-IDs, calendar ids, service accounts */
	{"<2a560e95-b888-44fd-99f6-3b2ef12e8d95@mtasv.net>", NONE},
	{"<CAGDzDQR5BWWjU40G26dg4AZuiMKZ5b0GtdUyn-2FbfMFs2yJwg@mail.gmail.com>", NONE},
	{"3009ae2f09f9ecab6eaa1d36f0b38c099f0e370759cad1c51691f9dc0fbd64fd"
	 "@group.calendar.google.com", NONE},
	{"3ne32v2nlrrd2l3624v5qpg6qk@group.calendar.google.com", NONE},
	{"850737154850-compute@developer.gserviceaccount.com", NONE},
	{"From: Niklas Hatje <niklas@acme.io>", PII},
	/* phone */
	{"+14155552671", PII},
	{"+1 415 555 2671", PII},
	{"+1 (415) 555-2671", PII},
	{"+49 30 1234567", PII},
	{"+49 (0) 30 1234567", PII},
	{"+33 6 12 34 56 78", PII},
	{"+86 138 0013 8000", PII},
	{"+44 20 7946 0958", PII},
	{"(415) 555-2671", PII},
	{"415-555-2671", PII},
	{"415.555.2671", PII},
	{"030 1234567", PII},
	{"030/1234567", PII},
	{"06 12 34 56 78", PII},
	{"0049 30 12345678", PII},
	{"1-800-555-0199", PII},
	{"tel:+14155552671", PII},
	{"+1", NONE},
	{"+12345", NONE},
	{"+0123456789", NONE},
	{"+1234567890123456", NONE},
	{"4155552671", NONE},       /* bare integer without "+" */
	{"1700000000000", NONE},    /* timestamp */
	{"2024-01-15", NONE},       /* ISO date */
	{"15.01.2024", NONE},
	{"01/15/2024", NONE},
	{"2024-01-15T10:30:00Z", NONE},
	{"12:30:45", NONE},
	{"1.2.3.4", NONE},          /* version */
	{"10.0.19041.1234", NONE},  /* Windows build */
	{"v1.2.3", NONE},
	{"192.168.100.200", NONE},  /* IPv4 */
	{"123e4567-e89b-12d3-a456-426614174000", NONE},  /* UUID */
	{"12345678-1234-1234-1234-123456789012", NONE},  /* all-digit UUID */
	{"10115", NONE},            /* ZIP code alone */
	{"12345-6789", NONE},       /* ZIP+4 */
	{"SW1A 1AA", NONE},
	{"ORD-2024-000123", NONE},  /* order numbers */
	{"2024-000123", NONE},
	{"#100234567", NONE},
	{"100-2345678-1234567", NONE},
	{"1 234 567 890", NONE},    /* amount */
	{"123.456.789", NONE},
	{"1,234,567.89", NONE},
	{"3.14159265358979", NONE},
	{"978-3-16-148410-0", NONE}, /* ISBN-13 */
	{"52.3992137", NONE},       /* coordinate */
	{"100.50000000", NONE},
	{"15.00.30729", NONE},      /* build numbers */
	{"18.10.1137.128", NONE},
	{"2023-09-04.02", NONE},
	{"0470.12.34.56", PII},
	{"0-306-40615-2", NONE},    /* ISBN-10 */
	{"555--1234567", NONE},
	{"(555 123-4567", NONE},
	{"555-1234", NONE},         /* too short */
	/* cards */
	{"4111111111111111", FIN},
	{"4111 1111 1111 1111", FIN},
	{"4111-1111-1111-1111", FIN},
	{"5555555555554444", FIN},
	{"5105105105105100", FIN},
	{"2223003122003222", FIN},
	{"378282246310005", FIN},
	{"3782 822463 10005", FIN},
	{"6011111111111117", FIN},
	{"3530111333300000", FIN},
	{"4222222222222", FIN},
	{"4111111111111112", NONE},   /* fails Luhn */
	{"4111 1111 1111 1112", NONE},
	{"5555555555554440", NONE},
	{"3782 822463 10006", NONE},
	{"1234567812345670", NONE},   /* passes Luhn, no issuer starts with 1 */
	{"0000000000000000", NONE},
	{"4111-1111 1111-1111", NONE}, /* mixed separators */
	{"411111111111111", NONE},    /* Visa has no 15-digit numbers */
	{"41111111111111111111", NONE},
	/* IBAN */
	{"DE89370400440532013000", FIN},
	{"DE89 3704 0044 0532 0130 00", FIN},
	{"de89370400440532013000", FIN},
	{"GB29NWBK60161331926819", FIN},
	{"GB29 NWBK 6016 1331 9268 19", FIN},
	{"FR1420041010050500013M02606", FIN},
	{"ES9121000418450200051332", FIN},
	{"IT60X0542811101000000123456", FIN},
	{"NL91ABNA0417164300", FIN},
	{"BE68539007547034", FIN},
	{"CH9300762011623852957", FIN},
	{"AT611904300234573201", FIN},
	{"DE89370400440532013001", NONE},  /* wrong checksum */
	{"GB28NWBK60161331926819", NONE},
	{"DE8937040044053201300", NONE},   /* one digit short */
	{"NL91ABNA041716430", NONE},
	{"XX89370400440532013000", NONE},  /* no such country */
	{"GB29NWB060161331926819", NONE},  /* bank code must be letters */
	{"DE89-3704-0044-0532-0130-00", NONE},
	/* neither */
	{"", NONE},
	{"   ", NONE},
	{"hello world", NONE},
	{"true", NONE},
	{"42", NONE},
	{"={{ $json.phone }}", NONE},
};

static const char *class_str(wd_class c)
{
	switch (c) {
	case WD_CLASS_NONE: return "none";
	case WD_CLASS_PII: return "pii";
	case WD_CLASS_FINANCIAL: return "financial";
	case WD_CLASS_HEALTH: return "health";
	case WD_CLASS_CREDENTIAL: return "credential";
	case WD_CLASS_SECRET: return "secret";
	default: return "other";
	}
}

static void run_table(const pii_case *cases, size_t n, wd_class (*fn)(wd_str), const char *what)
{
	size_t i, bad = 0;

	for (i = 0; i < n; i++) {
		wd_class got = fn(wd_str_c(cases[i].in));
		if (got != cases[i].want) {
			print_error("%s \"%s\": got %s, want %s\n", what, cases[i].in, class_str(got),
			            class_str(cases[i].want));
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_names(void **state)
{
	(void)state;
	run_table(name_cases, sizeof(name_cases) / sizeof(*name_cases), wd_detect_class_of_name,
	          "name");
}

static void test_values(void **state)
{
	(void)state;
	run_table(value_cases, sizeof(value_cases) / sizeof(*value_cases),
	          wd_detect_class_of_value, "value");
}

/* Every class has true and false cases in both tables. */
static void test_coverage(void **state)
{
	const wd_class classes[] = {PII, FIN, HLT, CRD, SEC};
	size_t c, i;

	(void)state;
	for (c = 0; c < sizeof(classes) / sizeof(*classes); c++) {
		size_t hits = 0;
		for (i = 0; i < sizeof(name_cases) / sizeof(*name_cases); i++)
			hits += name_cases[i].want == classes[c];
		assert_true(hits >= 5);
	}
	assert_true(sizeof(name_cases) / sizeof(*name_cases) + sizeof(value_cases) /
	            sizeof(*value_cases) >= 150);
}

/* Slices are not NUL-terminated: only len bytes are read. */
static void test_slices(void **state)
{
	const char buf[] = "emailBody";
	const char val[] = "john@acme.com.au-and-more";

	(void)state;
	assert_int_equal(wd_detect_class_of_name(wd_str_make(buf, 5)), PII);
	assert_int_equal(wd_detect_class_of_name(wd_str_make(buf, 9)), NONE);
	assert_int_equal(wd_detect_class_of_name(WD_STR_NULL), NONE);
	assert_int_equal(wd_detect_class_of_value(wd_str_make(val, 13)), PII);
	assert_int_equal(wd_detect_class_of_value(wd_str_make(val, 16)), PII);
	assert_int_equal(wd_detect_class_of_value(WD_STR_NULL), NONE);
}

/* Long, odd and malformed input: bounded, never misread. */
static void test_bad_input(void **state)
{
	static char big[100000];
	const char bad_utf8[] = "e\xff" "mail\xc3";
	const char with_nul[] = "pass\0word";
	size_t i;

	(void)state;
	/* a 100 kB name is looked at up to its cap: still classified */
	memset(big, 'x', sizeof(big));
	memcpy(big, "password_", 9);
	assert_int_equal(wd_detect_class_of_name(wd_str_make(big, sizeof(big))), CRD);
	/* ... but a term beyond the cap is not seen */
	memset(big, 'x', sizeof(big));
	memcpy(big + 5000, "_password", 9);
	assert_int_equal(wd_detect_class_of_name(wd_str_make(big, sizeof(big))), NONE);
	/* many short words */
	for (i = 0; i < sizeof(big); i++)
		big[i] = (i & 1) ? '_' : 'a';
	assert_int_equal(wd_detect_class_of_name(wd_str_make(big, sizeof(big))), NONE);
	/* values over 256 bytes are documents, not fields */
	memset(big, ' ', 300);
	memcpy(big, "john@acme.com", 13);
	assert_int_equal(wd_detect_class_of_value(wd_str_make(big, 256)), PII);
	assert_int_equal(wd_detect_class_of_value(wd_str_make(big, 257)), NONE);
	/* invalid UTF-8 and NUL bytes separate words */
	assert_int_equal(wd_detect_class_of_name(wd_str_make(bad_utf8, sizeof(bad_utf8) - 1)),
	                 PII);
	assert_int_equal(wd_detect_class_of_name(wd_str_make("\xe9mailbox", 8)), NONE);
	assert_int_equal(wd_detect_class_of_name(wd_str_make("\xe9mail", 5)), PII);
	assert_int_equal(wd_detect_class_of_name(wd_str_make(with_nul, sizeof(with_nul) - 1)), CRD);
	assert_int_equal(wd_detect_class_of_value(wd_str_make("4111\0" "111111111111", 16)), NONE);
	/* truncated UTF-8 at the cap */
	memset(big, 'x', 300);
	memcpy(big, "phone_", 6);
	big[255] = '\xc3';
	assert_int_equal(wd_detect_class_of_name(wd_str_make(big, 300)), PII);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_slices),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
