//! The pricing simulator for a unit: this year's volumes (extrapolated) at the prices valid on
//! a day, the unit's cost as the follow-up shows it (its newest full-year forecast), and the
//! prices that bring the forecast result to a target; saved as a draft price list on request.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use serva_domain::access::Principal;
use serva_domain::billing::price_list::price_on;
use serva_domain::billing::simulator::{
    customer_costs, service_volumes, simulate, CustomerCost, Mode, ServicePrice, SimProblem,
    Simulation,
};
use serva_domain::catalogue::PriceModel;
use serva_domain::org::Unit;
use serva_store::price_lists::PriceListRow;

use crate::prices::may_price;
use crate::{App, AppError, AppResult};

/// What the simulator is asked.
#[derive(Debug, Clone)]
pub struct SimulatorInput {
    pub unit: String,
    pub year: i32,
    /// The day whose prices are the prices now.
    pub prices_on: NaiveDate,
    pub target_ore: i64,
    pub mode: Mode,
    /// A cost typed in; the follow-up's forecast cost when absent.
    pub cost_ore: Option<i64>,
}

/// Where the cost comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CostSource {
    /// The unit's newest full-year forecast of the year, made on this day.
    Forecast(String),
    Entered,
    /// No forecast and nothing typed in.
    Missing,
}

/// A service of the unit as the simulator shows it.
#[derive(Debug, Clone)]
pub struct SimService {
    pub code: String,
    pub name: String,
    pub model: PriceModel,
}

/// The simulator's page.
#[derive(Debug, Clone)]
pub struct SimulatorView {
    pub unit: Unit,
    pub input: SimulatorInput,
    pub as_of: NaiveDate,
    pub months: u32,
    pub services: Vec<SimService>,
    pub cost_ore: i64,
    pub cost_source: CostSource,
    pub answer: Result<Simulation, SimProblem>,
    pub customers: Vec<CustomerCost>,
}

impl App {
    /// The units whose prices this person may simulate.
    pub async fn simulator_units(&self, p: &Principal) -> AppResult<Vec<Unit>> {
        let mut units = self.db().units().await?;
        let providers: std::collections::HashSet<_> = self
            .priceable_services(p)
            .await?
            .into_iter()
            .map(|s| s.unit_id)
            .collect();
        units.retain(|u| providers.contains(&u.id));
        Ok(units)
    }

    /// The prices that bring the unit's forecast result to the target.
    pub async fn simulate_prices(
        &self,
        p: &Principal,
        input: &SimulatorInput,
    ) -> AppResult<SimulatorView> {
        let unit = self
            .db()
            .unit_by_code(&input.unit)
            .await
            .map_err(|_| AppError::NotFound("unit"))?;
        if !may_price(p, unit.id) {
            return Err(AppError::NotFound("unit"));
        }
        let volumes = self.year_volumes(Some(&unit.code), input.year).await?;
        let prices = self.effective_prices().await?;
        let mut services: Vec<SimService> = Vec::new();
        let mut now: BTreeMap<String, i64> = BTreeMap::new();
        for s in self.priceable_services(p).await? {
            if s.unit_id != unit.id {
                continue;
            }
            if let Some(e) = price_on(&prices, &s.code, input.prices_on) {
                now.insert(s.code.clone(), e.price_ore);
                services.push(SimService {
                    code: s.code,
                    name: s.name,
                    model: e.model,
                });
            }
        }
        let cv: Vec<_> = volumes
            .rows
            .into_iter()
            .map(|(_, v)| v)
            .filter(|v| now.contains_key(&v.service))
            .collect();
        let by_service = service_volumes(&cv);
        let priced: Vec<ServicePrice> = services
            .iter()
            .map(|s| ServicePrice {
                service: s.code.clone(),
                volume: by_service.get(&s.code).copied().unwrap_or_default(),
                price_ore: now[&s.code],
            })
            .collect();
        let through = volumes.as_of.format("%Y-%m-%d").to_string();
        let forecast = self
            .db()
            .forecasts(input.year, &through)
            .await?
            .into_iter()
            .find(|f| f.unit == unit.id);
        let (cost_ore, cost_source) = match (input.cost_ore, forecast) {
            (Some(c), _) => (c, CostSource::Entered),
            (None, Some(f)) => (f.cost, CostSource::Forecast(f.made_on)),
            (None, None) => (0, CostSource::Missing),
        };
        let answer = simulate(&priced, cost_ore, input.target_ore, &input.mode);
        let customers = match &answer {
            Ok(sim) => customer_costs(&cv, &now, &sim.new_prices()),
            Err(_) => customer_costs(&cv, &now, &now),
        };
        Ok(SimulatorView {
            unit,
            input: input.clone(),
            as_of: volumes.as_of,
            months: volumes.months,
            services,
            cost_ore,
            cost_source,
            answer,
            customers,
        })
    }

    /// Simulates and saves the new prices as a draft of the unit's services for `year`, from
    /// `from` (1 January when absent).
    pub async fn save_simulation(
        &self,
        p: &Principal,
        input: &SimulatorInput,
        year: i32,
        from: Option<NaiveDate>,
    ) -> AppResult<i64> {
        let view = self.simulate_prices(p, input).await?;
        let sim = view.answer.map_err(|e| AppError::Invalid(e.to_string()))?;
        let valid_from = match from {
            Some(d) => d,
            None => NaiveDate::from_ymd_opt(year, 1, 1)
                .ok_or_else(|| AppError::Invalid(format!("no such year: {year}")))?,
        };
        if chrono::Datelike::year(&valid_from) != year {
            return Err(AppError::Invalid(format!(
                "the first day {valid_from} is not in {year}"
            )));
        }
        let rows: Vec<PriceListRow> = view
            .services
            .iter()
            .zip(&sim.lines)
            .map(|(s, l)| PriceListRow {
                service: s.code.clone(),
                model: s.model,
                price_ore: l.new_ore,
            })
            .collect();
        self.save_draft(p, year, valid_from, Some(&view.unit.code), &rows)
            .await
    }
}
