//! The pricing simulator: a unit, a target result and a mode; the price change that reaches
//! the target, each service's old and new price, each customer's cost before and after, and
//! "Spara som utkast".

use std::collections::HashMap;

use maud::{html, Markup};
use serva_domain::billing::simulator::{CustomerCost, SimProblem, Simulation};
use serva_domain::format::money_ore;

use super::prices::{customer_table, field, permille_text};
use crate::layout::{notice, page};
use crate::widgets::option;
use crate::Ctx;

/// The simulator's form as asked (text as typed).
#[derive(Debug, Default, Clone)]
pub struct SimulatorForm {
    pub unit: String,
    pub year: String,
    pub prices_on: String,
    pub target: String,
    pub mode: String,
    pub service: String,
    pub cost: String,
    pub errors: HashMap<&'static str, String>,
}

impl SimulatorForm {
    /// The form as hidden fields, for "Spara som utkast".
    fn hidden(&self) -> Markup {
        html! {
            input type="hidden" name="unit" value=(self.unit);
            input type="hidden" name="year" value=(self.year);
            input type="hidden" name="prices_on" value=(self.prices_on);
            input type="hidden" name="target" value=(self.target);
            input type="hidden" name="mode" value=(self.mode);
            input type="hidden" name="service" value=(self.service);
            input type="hidden" name="cost" value=(self.cost);
        }
    }
}

/// The simulator's answer for the page.
pub struct SimulatorResult<'a> {
    pub unit_name: &'a str,
    pub as_of: chrono::NaiveDate,
    pub months: u32,
    /// (code, name) of the unit's services, in the answer's order.
    pub services: &'a [(String, String)],
    pub cost_ore: i64,
    /// Where the cost comes from, said for the reader.
    pub cost_note: &'a str,
    pub answer: &'a Result<Simulation, SimProblem>,
    pub customers: &'a [CustomerCost],
    pub unit_names: &'a HashMap<String, String>,
}

fn problem(cx: &Ctx, p: &SimProblem) -> String {
    match p {
        SimProblem::NoRevenue => cx
            .t(
                "Enheten har inga intäkter i år att ändra priserna på.",
                "The unit has no revenue this year to change prices on.",
            )
            .to_string(),
        SimProblem::NoVolume(s) => format!(
            "{s}: {}",
            cx.t(
                "tjänsten har ingen volym i år.",
                "the service has no volume this year."
            )
        ),
        SimProblem::NegativePrice(s) => format!(
            "{s}: {}",
            cx.t(
                "målet skulle kräva ett negativt pris.",
                "the target would need a negative price."
            )
        ),
    }
}

pub fn simulator_page(
    cx: &Ctx,
    units: &[(String, String)],
    f: &SimulatorForm,
    r: Option<&SimulatorResult>,
    error: Option<&str>,
) -> Markup {
    let err = |k: &str| f.errors.get(k).map(String::as_str);
    page(
        cx,
        cx.t("Prissimulering", "Pricing simulator"),
        html! {
            p { a href="/billing/prices" { (cx.t("Till prislistan", "To the price list")) } }
            @if let Some(m) = error { (notice(false, m)) }
            p.hint { (cx.t(
                "Årets volymer (debiterat och ännu ej debiterat) räknas upp till helår efter påbörjade månader. Kostnaden är enhetens senaste helårsprognos, som i uppföljningen, om du inte skriver en egen. Resultat = intäkter − kostnader.",
                "This year's volumes (charged and not yet charged) are extrapolated to the full year by the months begun. The cost is the unit's latest full-year forecast, as in the follow-up, unless you type one. Result = revenue − cost.")) }
            form.filters method="get" action="/billing/simulator" {
                div {
                    label for="unit" { (cx.t("Enhet", "Unit")) }
                    select #unit name="unit" {
                        @for (code, name) in units { (option(code, name, &f.unit)) }
                    }
                }
                (field(cx, ("year", cx.t("År", "Year"), Some(cx.t("ÅÅÅÅ", "YYYY"))), &f.year, err("year")))
                (field(cx, ("prices_on", cx.t("Dagens priser per", "Prices now as of"), Some(cx.t("ÅÅÅÅ-MM-DD", "YYYY-MM-DD"))), &f.prices_on, err("prices_on")))
                (field(cx, ("target", cx.t("Önskat resultat, kr", "Target result, kr"), None), &f.target, err("target")))
                (field(cx, ("cost", cx.t("Kostnad, kr (valfritt)", "Cost, kr (optional)"), Some(cx.t("tomt = prognosen", "empty = the forecast"))), &f.cost, err("cost")))
                fieldset {
                    legend { (cx.t("Ändra", "Change")) }
                    label { input #mode-all type="radio" name="mode" value="all" checked[f.mode != "service"]; " " (cx.t("alla priser lika mycket", "every price alike")) }
                    label { input #mode-service type="radio" name="mode" value="service" checked[f.mode == "service"]; " " (cx.t("en tjänsts pris:", "one service's price:")) }
                    @if let Some(r) = r {
                        label for="service" { (cx.t("Tjänst", "Service")) }
                        @if let Some(e) = err("service") { p.field-error id="service-error" { strong { (cx.t("Fel: ", "Error: ")) } (e) } }
                        select #service name="service" {
                            @for (code, name) in r.services { (option(code, &format!("{code} {name}"), &f.service)) }
                        }
                    }
                }
                div { button type="submit" { (cx.t("Beräkna", "Calculate")) } }
            }
            @if let Some(r) = r { (result(cx, f, r)) }
        },
    )
}

fn result(cx: &Ctx, f: &SimulatorForm, r: &SimulatorResult) -> Markup {
    html! {
        h2 { (r.unit_name) " " (f.year) }
        p { (cx.t("Volymer till och med", "Volumes through")) " " (r.as_of.format("%Y-%m-%d").to_string()) ", "
            (r.months) " " (cx.t("påbörjade månader, uppräknade × 12 /", "months begun, extrapolated × 12 /")) " " (r.months) ". "
            (cx.t("Kostnad", "Cost")) " " (money_ore(r.cost_ore)) " (" (r.cost_note) ")." }
        @match r.answer {
            Err(p) => { (notice(false, &problem(cx, p))) }
            Ok(sim) => {
                dl {
                    dt { (cx.t("Prognosresultat nu", "Forecast result now")) } dd { (money_ore(sim.result_before())) }
                    dt { (cx.t("Prisändring", "Price change")) } dd { (permille_text(sim.change_permille)) }
                    dt { (cx.t("Prognosresultat efter", "Forecast result after")) } dd { (money_ore(sim.result_after())) " "
                        span.hint { "(" (cx.t("mål", "target")) " " (money_ore(sim.target_ore)) ", " (cx.t("avrundning högst ±", "rounding at most ±")) (money_ore(sim.tolerance_ore())) ")" } }
                }
                div.table-scroll role="region" tabindex="0" aria-label=(cx.t("Priser före och efter", "Prices before and after")) {
                    table {
                        caption.visually-hidden { (cx.t("Pris per tjänst före och efter", "Price per service before and after")) }
                        thead { tr {
                            th scope="col" { (cx.t("Tjänst", "Service")) }
                            th.num scope="col" { (cx.t("Volym (helår)", "Volume (full year)")) }
                            th.num scope="col" { (cx.t("Pris nu", "Price now")) }
                            th.num scope="col" { (cx.t("Nytt pris", "New price")) }
                        } }
                        tbody {
                            @for (l, (_, name)) in sim.lines.iter().zip(r.services) {
                                tr {
                                    th scope="row" { (l.service) " " (name) }
                                    td.num { (l.volume.to_swedish()) }
                                    td.num { (money_ore(l.old_ore)) }
                                    td.num { (money_ore(l.new_ore)) }
                                }
                            }
                        }
                    }
                }
                h3 { (cx.t("Kundernas kostnad", "Customers' cost")) }
                (customer_table(cx, r.customers, r.unit_names))
                h3 { (cx.t("Spara som utkast", "Save as a draft")) }
                form method="post" action="/billing/simulator/save" {
                    (cx.csrf_field())
                    (f.hidden())
                    (field(cx, ("draft_year", cx.t("Prislista för år", "Price list for year"), Some(cx.t("ÅÅÅÅ", "YYYY"))), &next_year(&f.year), None))
                    (field(cx, ("draft_from", cx.t("Gäller från och med (valfritt)", "Valid from (optional)"), Some(cx.t("ÅÅÅÅ-MM-DD; tomt = 1 januari", "YYYY-MM-DD; empty = 1 January"))), "", None))
                    button type="submit" { (cx.t("Spara som utkast", "Save as a draft")) }
                }
            }
        }
    }
}

fn next_year(year: &str) -> String {
    year.trim()
        .parse::<i32>()
        .map(|y| (y + 1).to_string())
        .unwrap_or_default()
}
