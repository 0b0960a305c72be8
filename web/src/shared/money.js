// Money as a person reads it: in the playbook's currency (the outline's `currency`, an ISO 4217
// code) when it declares one, else as a plain number, in the reader's language.

/**
 * A formatter of amounts for `lang` in `currency` (null or undefined: plain numbers). Whole
 * amounts are shown without cents; others with the currency's usual digits.
 * @param {string} lang @param {string|null|undefined} currency
 * @returns {(amount: number) => string}
 */
export function moneyFormat(lang, currency) {
  const plain = new Intl.NumberFormat(lang);
  if (!currency) return (amount) => plain.format(amount);
  let whole;
  let exact;
  try {
    whole = new Intl.NumberFormat(lang, { style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: 0 });
    exact = new Intl.NumberFormat(lang, { style: 'currency', currency });
  } catch {
    // A code the browser does not know: the number, then the code as the playbook writes it.
    return (amount) => `${plain.format(amount)} ${currency}`;
  }
  return (amount) => (Number.isInteger(amount) ? whole : exact).format(amount);
}
