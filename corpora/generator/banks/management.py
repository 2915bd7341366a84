"""Sentence bank: management_oversight_missing.  Format: see risk.py."""

LABEL = "management_oversight_missing"

GAP = r"""
@topic absence
cl ! @w | Case closed. NFA.
cl ! @w | Closing case as no further concerns.
cl ! @w | Family no longer require CSC involvement; case closed today.
cl ! @w | Stepped down to early help. Case closed to social care.
cl ! @w | Closure letter sent to {mum} and the case closed on the system.
cl ! @w | NFA - case closed. Letters to GP and {school}.
cl ! @w | Case closed as {mum} has declined further involvement.
cl ! @w | CIN plan ended and case closed, family happy with this.
cl ! @w | Closed to CSC - no role.
cl ! @w | Closing as the family have moved out of area; no further action from us.
as ! @w @end | Outcome of assessment: NFA.
as ! @w @end | Recommendation: step down to universal services and close.
as ! @w @end | Assessment concluded, no further involvement needed, case to be closed.
sd ! @w @end | s47 completed and NFA.
hv ! @w @late | Told {mum} at the end of the visit that the case will be closing as things are better.
cn ! @w #lac | {c} moved to a new foster placement on {date}.
cn ! @w @late | Decision made to end the CIN plan and close; family informed by phone.
ct ! @w | Threshold met for a C&F assessment; passed to the assessment team.
ct ! @w | Referral screened; for C&F assessment by the locality team.
me ! @w @late | The CIN plan was ended at the meeting and the case is to close.
cn ! @w @late #kinship | {c} to stay with {carer} on an informal basis and our involvement to end.
hv ! @w @late | Agreed with {mum} that we will stop the CIN visits from now on.

@topic awaiting
as,cn | Assessment completed on {date} and still awaiting TM sign-off.
cn,sd,as | No management decision is recorded on the file regarding the outcome of the s47.
cn | The closure summary has been sent to the TM for authorisation and has not been looked at.
as | Assessment not yet authorised by a manager.
cn @w | Still no decision from management on whether this goes to ICPC.
cn,hv | The request for a legal planning meeting has not had a management response.
cn,me | No manager has reviewed the plan since the RCPC.
cl | The closure has not been countersigned by the TM.
cn @w | Awaiting a TM decision on whether the case should step up to CP; nothing recorded yet.

@topic unable
* @w | I have been unable to discuss the case with my manager [this week|before the visit].
cn @w | Tried to get a management view on whether to hold a strategy discussion, but no manager was available.
cn,hv @w | There is no TM decision on whether to escalate to PLO despite my request on {date}.
cn @w | I could not get hold of a manager to agree the change to contact, so I went ahead with it.
hv,cn @w | I emailed the TM about the new police information on {date} but have had no reply.
ct @w | Duty manager not available, so I made the decision to leave the children at home overnight.
cn @w | Nobody has given a view on whether the case should be stepped up despite two further contacts.

@topic bare
md @m | Read. Agree with the plan.
md @m | Noted. Continue.
md @m @late | Agree NFA.
md @m | I agree with the SW's recommendation.
md @m @late | Happy for the case to close.
md @m | Management oversight: case reviewed, plan to continue.
md @m @late | Agree step down to early help.
md @m | Assessment read and authorised.
md @m | Seen and agreed by TM.
md @m | Proceed as planned.
md @m | Continue CIN.
md @m | Management oversight completed; nothing to add.
md @m @late | Approved for closure.

@topic ineffective
md @m | Management oversight recorded as "continue with current plan" with no reference to the new police information.
cn,me | The TM's direction from the last supervision has not been followed up and there is no further management comment on the file.
md @m | Plan noted, SW to progress.
md @m | Management oversight: please continue to visit and update.
cn | The case has drifted since the RCPC with no manager direction recorded.
md @m @late | Step down agreed, no further comment.
md @m | Oversight: to be discussed at next supervision.
cn,me | Three further contacts from {school} have been logged and there is no management direction on any of them.
"""

NEAR = r"""
@topic absence
cl | Case closure authorised by the TM on {date}: the CIN plan has been achieved, {school} attendance is now above 95% and {mum} is engaging with early help, so the risk no longer requires social care involvement; early help will review in six weeks.
cl | Closure agreed with the TM in supervision because the family have sustained the changes for three months; step down to the early help team, with a TAF meeting booked for {next}.
cl | TM reviewed the file and agreed NFA: the enquiries found a consistent account of the injury and no other concerns, {mum} has accepted a parenting course, and the GP and {school} have been informed of the outcome.
as @late | The assessment has been reviewed by the TM, who agreed with the recommendation to step down to universal services because the concerns about {concern} have been resolved, and asked that the HV be informed.
sd @end | The s47 outcome was agreed by the TM: concerns were not substantiated because the medical found no injury and {c}'s account was consistent, so NFA, with a letter to {mum} explaining the decision.
cn #lac | Placement move authorised by the TM on {date} because the current carers have given notice; {c} was introduced to the new carers over three visits before moving.
ct | Threshold decision made by the MASH TM: threshold for a C&F assessment met because this is the third referral this year and {c} has been present each time; passed to the locality team.
me @late | The meeting recommended ending the CIN plan; the TM has since reviewed the minutes and agreed closure, with a six-week check-in by the family hub.
hv @late | I told {mum} that closure will be discussed with my manager on Thursday and explained what the TM will be looking at before a decision is made.
cl | Closure discussed with the TM on {date}, who agreed it because the outcomes of the plan have been met and the family have a clear contingency plan; closure letter to follow.
cl | Step down to early help agreed by the TM after reading the review minutes; her rationale (sustained improvement in {concern} over four months) is on the file.
as | The TM read the assessment and agreed the recommendation of a CIN plan, noting the reasons and asking for a first CIN meeting within 10 working days.
hv @w @late | Case to close: this was agreed by my manager on {date} after reviewing the last three visits, and I explained the reasons to {mum} today.
cn #kinship | The TM has authorised {c} staying with {carer} under a connected person assessment, because the initial checks were clear, and the Reg 24 visit is booked for tomorrow.
me @late | The chair and the TM agreed after the meeting to step down to CIN, and the reasons (no incidents for four months, {dad} completed the programme) are recorded in the minutes.

@topic awaiting
as,cn | Assessment completed on {date} and signed off by the TM on {next}, with comments asking for {c}'s views to be added to the plan.
cn,sd | The TM has recorded the s47 outcome and the reasons for it, and the plan is to progress to ICPC within 15 working days.
cl | The closure summary was countersigned by the TM, who added a note on why the family no longer need a social worker.
cn | TM decision recorded: the case steps up to CP because the neglect has not improved under the CIN plan; ICPC requested today.
cn,hv | The TM agreed on {date} to request a legal planning meeting, setting out the reasons in her oversight entry.

@topic unable
* @w | I discussed the case with my manager before the visit and we agreed what I needed to check with {mum}.
cn @w | Discussed with the duty TM, who agreed a strategy discussion was needed given the new disclosure and booked it for 2pm.
cn,hv @w | TM agreed to escalate to PLO after reviewing my chronology, because the neglect has continued despite two CP plans.
cn @w | Spoke to the TM about the change to contact; she agreed it, recording that the last six contacts have been positive.
hv,cn @w | I rang the TM from the car after the visit; she agreed that {c} should not stay at home tonight and MGM has been asked to care for {him}.
ct @w | Discussed with the duty manager, who agreed the children could remain at home overnight because {dad} has been remanded and {mum} accepted the safety plan.

@topic bare
md @m @late | Management oversight: I have read the assessment and agree with step down because {concern} has improved over three months; SW to hold a TAF handover meeting by {next} and send the closure letter.
md @m | TM decision: CIN plan to continue for a further three months because progress with {concern} is real but recent; SW to review {school} attendance data monthly and report back at supervision on {next}.
md @m @end | Agree NFA: the s47 found no evidence of harm, {c}'s account was consistent and the family have support in place; SW to write to {mum} by Friday setting this out.
md @m @late | I have reviewed the file and agree closure. Reasons: the plan's outcomes have been met, the family are linked to the children's centre, and {school} will refer back if concerns return.
md @m | Oversight: the new police information changes the picture, so I am asking for a strategy discussion today and a revised safety plan by the end of the week.
md @m | I agree with the SW's recommendation because the evidence in the assessment shows the risk is now well managed by {mum}; early help to pick up within two weeks.

@topic ineffective
md @m | Management oversight: having read the police information from {date}, I have directed a review of the plan at the core group on {next} and asked the SW to update the safety plan with {mum} this week.
cn,me | The TM followed up the actions from the last supervision on {date} and all three are now complete.
md @m @late | Plan reviewed: step down agreed because the family have met the outcomes; SW to complete the closure summary within five days and I will sign it off.
md @m | Oversight: I have asked the SW to book the CIN review within 10 days and to bring the updated chronology to supervision.
"""
