//! `serva billing`: a month's run previewed, locked, and exported as SIE 4I, CSV or XLSX.

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Subcommand;
use serva_app::App;
use serva_domain::access::Principal;
use serva_domain::format::money_ore;
use serva_report::billing_sheet::{line_rows, LINE_HEADINGS};
use serva_report::sheet::{csv, xlsx, Sheet};

#[derive(Subcommand, Debug)]
pub enum BillingCommand {
    /// Print what the month's run charges, per customer and service; `--lock` locks it.
    Run {
        /// The month, YYYY-MM.
        #[arg(long)]
        month: String,
        /// Lock the run: its charge lines are stored and never change.
        #[arg(long)]
        lock: bool,
    },
    /// Write a locked run's charges: `sie` (SIE 4I, one voucher), `csv` or `xlsx` (the lines).
    Export {
        #[arg(long)]
        month: String,
        #[arg(long, value_parser = ["sie", "csv", "xlsx"])]
        format: String,
        #[arg(long)]
        output: PathBuf,
    },
}

pub async fn run(app: &App, cmd: BillingCommand) -> anyhow::Result<()> {
    let p = Principal::system();
    match cmd {
        BillingCommand::Run { month, lock } => {
            if lock {
                let run = app.lock_billing_run(&p, &month).await?;
                println!(
                    "Locked the billing run of {}: {} line(s), {}.",
                    run.month,
                    run.lines,
                    money_ore(run.total_ore)
                );
                app.db().close().await;
                return Ok(());
            }
            let pv = app.billing_preview(&p, &month).await?;
            match &pv.locked {
                Some(r) => println!("Billing run {} (locked)", r.month),
                None => println!("Billing run {} (preview, not locked)", pv.month),
            }
            println!(
                "{:<12} {:<16} {:>10} {:>16}",
                "customer", "service", "quantity", "amount"
            );
            for r in &pv.rows {
                println!(
                    "{:<12} {:<16} {:>10} {:>16}",
                    r.customer,
                    r.service,
                    r.quantity.to_swedish(),
                    money_ore(r.amount_ore)
                );
            }
            println!("{} line(s), total {}", pv.lines, money_ore(pv.total_ore));
            if !pv.unpriced.is_empty() {
                eprintln!(
                    "{} volume(s) have no price and cannot be locked, e.g. {} on {}",
                    pv.unpriced.len(),
                    pv.unpriced[0].volume.service,
                    pv.unpriced[0].volume.day
                );
            }
        }
        BillingCommand::Export {
            month,
            format,
            output,
        } => {
            let bytes = match format.as_str() {
                "sie" => app.billing_sie(&p, &month).await?,
                "csv" | "xlsx" => {
                    let (_, lines) = app.locked_run(&p, &month).await?;
                    let rows = line_rows(&lines);
                    let sheet = Sheet {
                        name: "Debiteringsrader",
                        headings: LINE_HEADINGS,
                        rows: &rows,
                    };
                    if format == "csv" {
                        csv(&sheet)
                    } else {
                        match xlsx(&sheet) {
                            Ok(b) => b,
                            Err(e) => bail!("writing the XLSX failed: {e}"),
                        }
                    }
                }
                other => bail!("unknown format {other:?}: sie, csv or xlsx"),
            };
            std::fs::write(&output, &bytes)
                .with_context(|| format!("writing {}", output.display()))?;
            println!(
                "Wrote the billing run of {month} as {format} to {} ({} bytes).",
                output.display(),
                bytes.len()
            );
        }
    }
    Ok(())
}
