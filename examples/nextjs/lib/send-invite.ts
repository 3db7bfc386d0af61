// Not in the guide: the seed's "TODO: send inviteLink to user's email", filled in once for every
// framework tab, in the seed's shared module (its Express tab and invite-only override live there
// too); both routers' tabs import it through here.
export { sendInviteLink } from "../../src/seeds/003-invite-only";
